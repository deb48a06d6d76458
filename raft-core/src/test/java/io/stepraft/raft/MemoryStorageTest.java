package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemoryStorageTest {

  private static Entry e(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term).build();
  }

  private static Entry e(long index, long term, int payloadBytes) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFrom(new byte[payloadBytes]))
        .build();
  }

  private static Snapshot snap(long index, long term) {
    return Snapshot.newBuilder()
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term))
        .build();
  }

  /** A storage compacted at 3 (term 3) holding entries 4 (term 4) and 5 (term 5). */
  private static MemoryStorage storage345() {
    MemoryStorage ms = new MemoryStorage();
    ms.applySnapshot(snap(3, 3));
    ms.append(List.of(e(4, 4), e(5, 5)));
    return ms;
  }

  private static List<Long> indexes(List<Entry> ents) {
    List<Long> out = new ArrayList<>();
    for (Entry x : ents) {
      out.add(x.getIndex());
    }
    return out;
  }

  @Test
  void emptyStorageBehavesAsSnapshotAtZero() {
    MemoryStorage ms = new MemoryStorage();
    assertEquals(1, ms.firstIndex());
    assertEquals(0, ms.lastIndex());
    assertEquals(0, ms.term(0));
    assertEquals(0, ms.snapshot().getMetadata().getIndex());
    assertEquals(HardState.getDefaultInstance(), ms.initialState().hardState());
  }

  @Test
  void initialStateReturnsHardStateAndSnapshotConfState() {
    MemoryStorage ms = new MemoryStorage();
    HardState hs = HardState.newBuilder().setTerm(3).setVote(2).setCommit(1).build();
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).build();
    ms.setHardState(hs);
    ms.append(List.of(e(1, 1)));
    ms.createSnapshot(1, cs, ByteString.EMPTY);
    assertEquals(new Storage.InitialState(hs, cs), ms.initialState());
  }

  @Test
  void termOfSnapshotIndexIsSnapshotTermAndOfEntriesTheirTerm() {
    MemoryStorage ms = storage345();
    assertEquals(3, ms.term(3));
    assertEquals(4, ms.term(4));
    assertEquals(5, ms.term(5));
  }

  @Test
  void termBeforeSnapshotIsCompacted() {
    assertThrows(CompactedException.class, () -> storage345().term(2));
  }

  @Test
  void termAfterLastIndexIsUnavailable() {
    assertThrows(UnavailableException.class, () -> storage345().term(6));
  }

  @Test
  void firstAndLastIndexFollowSnapshotAndEntries() {
    MemoryStorage ms = storage345();
    assertEquals(4, ms.firstIndex());
    assertEquals(5, ms.lastIndex());
    ms.append(List.of(e(6, 5)));
    assertEquals(6, ms.lastIndex());
    ms.compact(4);
    assertEquals(5, ms.firstIndex());
  }

  @Test
  void entriesReturnsHalfOpenRange() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(6, 6)));
    assertEquals(List.of(e(4, 4), e(5, 5)), ms.entries(4, 6, EntrySizes.NO_LIMIT));
    assertEquals(List.of(e(5, 5), e(6, 6)), ms.entries(5, 7, EntrySizes.NO_LIMIT));
    assertEquals(List.of(), ms.entries(5, 5, EntrySizes.NO_LIMIT));
  }

  @Test
  void entriesAtOrBeforeSnapshotIndexAreCompacted() {
    MemoryStorage ms = storage345();
    assertThrows(CompactedException.class, () -> ms.entries(2, 5, EntrySizes.NO_LIMIT));
    assertThrows(CompactedException.class, () -> ms.entries(3, 5, EntrySizes.NO_LIMIT));
  }

  @Test
  void entriesBeyondLastIndexIsACallerBug() {
    IllegalStateException ex =
        assertThrows(
            IllegalStateException.class, () -> storage345().entries(4, 7, EntrySizes.NO_LIMIT));
    assertTrue(ex.getMessage().contains("7") && ex.getMessage().contains("5"), ex.getMessage());
  }

  @Test
  void entriesFromStorageHoldingOnlyASnapshotAreUnavailable() {
    MemoryStorage ms = new MemoryStorage();
    ms.applySnapshot(snap(3, 3));
    assertThrows(UnavailableException.class, () -> ms.entries(4, 4, EntrySizes.NO_LIMIT));
  }

  @Test
  void entriesAreLimitedBySizeButReturnAtLeastOne() {
    MemoryStorage ms = new MemoryStorage();
    ms.append(List.of(e(1, 1, 100), e(2, 1, 100), e(3, 1, 100)));
    long one = e(1, 1, 100).getSerializedSize();
    assertEquals(List.of(1L), indexes(ms.entries(1, 4, 0)));
    assertEquals(List.of(1L), indexes(ms.entries(1, 4, one)));
    assertEquals(List.of(1L), indexes(ms.entries(1, 4, 2 * one - 1)));
    assertEquals(List.of(1L, 2L), indexes(ms.entries(1, 4, 2 * one)));
    assertEquals(List.of(1L, 2L, 3L), indexes(ms.entries(1, 4, 3 * one)));
  }

  @Test
  void entriesResultIsNotAlteredByLaterAppendOrCompact() {
    MemoryStorage ms = storage345();
    List<Entry> got = ms.entries(4, 6, EntrySizes.NO_LIMIT);
    ms.append(List.of(e(5, 9), e(6, 9)));
    ms.compact(5);
    assertEquals(List.of(e(4, 4), e(5, 5)), got);
    assertThrows(UnsupportedOperationException.class, () -> got.add(e(7, 7)));
  }

  @Test
  void compactKeepsIndexAndTermOfCompactIndexAsDummy() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(6, 6)));
    ms.compact(5);
    assertEquals(6, ms.firstIndex());
    assertEquals(6, ms.lastIndex());
    assertEquals(5, ms.term(5));
    assertThrows(CompactedException.class, () -> ms.term(4));
    assertEquals(List.of(e(6, 6)), ms.entries(6, 7, EntrySizes.NO_LIMIT));
  }

  @Test
  void compactAtOrBeforeSnapshotIndexIsCompacted() {
    MemoryStorage ms = storage345();
    assertThrows(CompactedException.class, () -> ms.compact(3));
    assertThrows(CompactedException.class, () -> ms.compact(2));
  }

  @Test
  void compactBeyondLastIndexFailsWithNumbers() {
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> storage345().compact(6));
    assertEquals("compact 6 is out of bound lastindex(5)", ex.getMessage());
  }

  @Test
  void compactAtLastIndexLeavesNoEntries() {
    MemoryStorage ms = storage345();
    ms.compact(5);
    assertEquals(6, ms.firstIndex());
    assertEquals(5, ms.lastIndex());
    assertThrows(UnavailableException.class, () -> ms.entries(6, 6, EntrySizes.NO_LIMIT));
  }

  @Test
  void createSnapshotRecordsIndexTermConfStateAndData() {
    MemoryStorage ms = storage345();
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
    ByteString data = ByteString.copyFromUtf8("state");
    Snapshot s = ms.createSnapshot(4, cs, data);
    assertEquals(4, s.getMetadata().getIndex());
    assertEquals(4, s.getMetadata().getTerm());
    assertEquals(cs, s.getMetadata().getConfState());
    assertEquals(data, s.getData());
    assertSame(s, ms.snapshot());
    assertEquals(4, ms.firstIndex(), "createSnapshot does not compact");
  }

  @Test
  void createSnapshotWithNullConfStateKeepsThePreviousOne() {
    MemoryStorage ms = storage345();
    ConfState cs = ConfState.newBuilder().addVoters(7).build();
    ms.createSnapshot(4, cs, ByteString.EMPTY);
    Snapshot s = ms.createSnapshot(5, null, ByteString.EMPTY);
    assertEquals(cs, s.getMetadata().getConfState());
    assertEquals(5, s.getMetadata().getTerm());
  }

  @Test
  void createSnapshotNotNewerThanCurrentIsOutOfDate() {
    MemoryStorage ms = storage345();
    assertThrows(
        SnapshotOutOfDateException.class, () -> ms.createSnapshot(3, null, ByteString.EMPTY));
    ms.createSnapshot(5, null, ByteString.EMPTY);
    assertThrows(
        SnapshotOutOfDateException.class, () -> ms.createSnapshot(4, null, ByteString.EMPTY));
  }

  @Test
  void createSnapshotBeyondLastIndexFailsWithNumbers() {
    MemoryStorage ms = storage345();
    IllegalStateException ex =
        assertThrows(
            IllegalStateException.class, () -> ms.createSnapshot(12, null, ByteString.EMPTY));
    assertEquals("snapshot 12 is out of bound lastindex(5)", ex.getMessage());
  }

  @Test
  void applySnapshotReplacesEverything() {
    MemoryStorage ms = storage345();
    Snapshot s = snap(10, 7);
    ms.applySnapshot(s);
    assertSame(s, ms.snapshot());
    assertEquals(11, ms.firstIndex());
    assertEquals(10, ms.lastIndex());
    assertEquals(7, ms.term(10));
    assertThrows(CompactedException.class, () -> ms.term(5));
  }

  @Test
  void applySnapshotNotNewerThanCurrentIsOutOfDate() {
    MemoryStorage ms = storage345();
    assertThrows(SnapshotOutOfDateException.class, () -> ms.applySnapshot(snap(3, 3)));
    assertThrows(SnapshotOutOfDateException.class, () -> ms.applySnapshot(snap(2, 2)));
    assertEquals(5, ms.lastIndex(), "a rejected snapshot leaves the log alone");
  }

  @Test
  void appendAfterLastIndexExtendsLog() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(6, 5), e(7, 5)));
    assertEquals(
        List.of(e(4, 4), e(5, 5), e(6, 5), e(7, 5)), ms.entries(4, 8, EntrySizes.NO_LIMIT));
  }

  @Test
  void appendOfSameEntriesChangesNothing() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(4, 4), e(5, 5)));
    assertEquals(List.of(e(4, 4), e(5, 5)), ms.entries(4, 6, EntrySizes.NO_LIMIT));
  }

  @Test
  void appendAtExistingIndexTruncatesConflictingSuffix() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(6, 5), e(7, 5)));
    ms.append(List.of(e(5, 6)));
    assertEquals(5, ms.lastIndex());
    assertEquals(List.of(e(4, 4), e(5, 6)), ms.entries(4, 6, EntrySizes.NO_LIMIT));
  }

  @Test
  void appendOverlappingCompactedPrefixSkipsIt() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(2, 3), e(3, 3), e(4, 6), e(5, 6)));
    assertEquals(3, ms.term(3), "the snapshot's term is kept");
    assertEquals(List.of(e(4, 6), e(5, 6)), ms.entries(4, 6, EntrySizes.NO_LIMIT));
  }

  @Test
  void appendOfEntirelyCompactedEntriesIsIgnored() {
    MemoryStorage ms = storage345();
    ms.append(List.of(e(2, 3), e(3, 3)));
    assertEquals(List.of(e(4, 4), e(5, 5)), ms.entries(4, 6, EntrySizes.NO_LIMIT));
  }

  @Test
  void appendLeavingAGapFailsWithNumbers() {
    MemoryStorage ms = storage345();
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> ms.append(List.of(e(7, 5))));
    assertEquals("missing log entry [last: 5, append at: 7]", ex.getMessage());
  }

  @Test
  void appendOfNonConsecutiveEntriesIsRejected() {
    MemoryStorage ms = storage345();
    assertThrows(IllegalArgumentException.class, () -> ms.append(List.of(e(6, 5), e(8, 5))));
    assertEquals(5, ms.lastIndex());
  }

  @Test
  void appendOfEmptyListIsANoOp() {
    MemoryStorage ms = storage345();
    ms.append(List.of());
    assertEquals(5, ms.lastIndex());
  }

  /** Appends and compactions against a naive map from index to term, on thousands of cases. */
  @Test
  void appendAndCompactAgreeWithNaiveModel() {
    long seed = 0x5eed_0001L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < 3000; c++) {
      String caseId = "seed " + seed + " case " + c;
      MemoryStorage ms = new MemoryStorage();
      List<Long> model = new ArrayList<>(); // model.get(k) = term of index snapshotIndex + k
      model.add(0L);
      long snapIndex = 0;
      for (int op = 0; op < 20; op++) {
        long last = snapIndex + model.size() - 1;
        if (random.nextInt(4) == 0 && last > snapIndex) {
          long at = snapIndex + 1 + random.nextLong(last - snapIndex);
          ms.compact(at);
          model = new ArrayList<>(model.subList((int) (at - snapIndex), model.size()));
          snapIndex = at;
        } else {
          long from = Math.max(1, last + 1 - random.nextInt(6));
          int n = 1 + random.nextInt(4);
          long term = 1 + random.nextInt(9);
          List<Entry> batch = new ArrayList<>();
          for (int k = 0; k < n; k++) {
            batch.add(e(from + k, term));
          }
          ms.append(batch);
          for (int k = 0; k < n; k++) {
            long idx = from + k;
            if (idx <= snapIndex) {
              continue;
            }
            int pos = (int) (idx - snapIndex);
            while (model.size() > pos) {
              model.remove(model.size() - 1);
            }
            model.add(term);
          }
        }
        if (ms.firstIndex() != snapIndex + 1 || ms.lastIndex() != snapIndex + model.size() - 1) {
          fail(
              caseId
                  + " op "
                  + op
                  + ": bounds "
                  + ms
                  + " vs model snap "
                  + snapIndex
                  + " size "
                  + model.size());
        }
        for (int k = 0; k < model.size(); k++) {
          if (ms.term(snapIndex + k) != model.get(k)) {
            fail(
                caseId
                    + " op "
                    + op
                    + ": term("
                    + (snapIndex + k)
                    + ")="
                    + ms.term(snapIndex + k)
                    + " expected "
                    + model.get(k));
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- a configuration at index 0

  private static final ConfState VOTERS_123 =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();

  @Test
  void withConfStateHoldsTheConfigurationAtIndexZeroAndNothingElse() {
    MemoryStorage ms = MemoryStorage.withConfState(VOTERS_123);
    assertEquals(1, ms.firstIndex());
    assertEquals(0, ms.lastIndex());
    assertEquals(0, ms.term(0));
    assertEquals(0, ms.snapshot().getMetadata().getIndex());
    assertEquals(0, ms.snapshot().getMetadata().getTerm());
    assertEquals(VOTERS_123, ms.snapshot().getMetadata().getConfState());
    assertEquals(VOTERS_123, ms.confState());
    assertEquals(HardState.getDefaultInstance(), ms.hardState());
    assertEquals(
        new Storage.InitialState(HardState.getDefaultInstance(), VOTERS_123), ms.initialState());
    assertThrows(UnavailableException.class, () -> ms.entries(1, 1, EntrySizes.NO_LIMIT));
  }

  @Test
  void withConfStateTakesEntriesAndSnapshotsLikeAnEmptyStorage() {
    MemoryStorage ms = MemoryStorage.withConfState(VOTERS_123);
    ms.append(List.of(e(1, 1), e(2, 1)));
    assertEquals(List.of(e(1, 1), e(2, 1)), ms.entries(1, 3, EntrySizes.NO_LIMIT));
    Snapshot s = ms.createSnapshot(1, null, ByteString.EMPTY);
    assertEquals(
        VOTERS_123,
        s.getMetadata().getConfState(),
        "a snapshot without a new configuration keeps it");
    ms.applySnapshot(snap(5, 2));
    assertEquals(
        ConfState.getDefaultInstance(), ms.confState(), "a received snapshot brings its own");
  }

  @Test
  void withConfStateAcceptsLearnersAndAConsistentJointConfiguration() {
    ConfState withLearner = VOTERS_123.toBuilder().addLearners(4).build();
    assertEquals(withLearner, MemoryStorage.withConfState(withLearner).confState());
    ConfState joint =
        ConfState.newBuilder()
            .addVoters(1)
            .addVoters(2)
            .addVoters(3)
            .addVotersOutgoing(1)
            .addVotersOutgoing(2)
            .addVotersOutgoing(4)
            .addLearnersNext(4)
            .setAutoLeave(true)
            .build();
    assertEquals(joint, MemoryStorage.withConfState(joint).confState());
  }

  static Stream<Arguments> invalidInitialConfigurations() {
    return Stream.of(
        invalidConf("no voter", "no voter", b -> b),
        invalidConf("learners only", "no voter", b -> b.addLearners(1)),
        invalidConf("outgoing voters only", "no voter", b -> b.addVotersOutgoing(1)),
        invalidConf("voter 0", "node 0", b -> b.addVoters(1).addVoters(0)),
        invalidConf("learner 0", "node 0", b -> b.addVoters(1).addLearners(0)),
        invalidConf(
            "voter and learner",
            "invalid initial configuration",
            b -> b.addVoters(1).addVoters(2).addLearners(2)),
        invalidConf(
            "staged learner outside a joint state",
            "invalid initial configuration",
            b -> b.addVoters(1).addLearnersNext(1)),
        invalidConf(
            "auto-leave outside a joint state",
            "invalid initial configuration",
            b -> b.addVoters(1).setAutoLeave(true)),
        invalidConf(
            "staged learner also an incoming voter",
            "invalid initial configuration",
            b ->
                b.addVoters(1)
                    .addVoters(2)
                    .addVotersOutgoing(1)
                    .addVotersOutgoing(2)
                    .addLearnersNext(2)));
  }

  private static Arguments invalidConf(
      String name, String expected, UnaryOperator<ConfState.Builder> conf) {
    return Arguments.of(name, expected, conf.apply(ConfState.newBuilder()).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidInitialConfigurations")
  void withConfStateRejectsAnInvalidConfigurationNamingIt(
      String name, String expected, ConfState cs) {
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> MemoryStorage.withConfState(cs));
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    assertTrue(
        ex.getMessage().contains("voters=" + cs.getVotersList()),
        "names the configuration: " + ex.getMessage());
  }

  @Test
  void withConfStateRejectsNull() {
    NullPointerException ex =
        assertThrows(NullPointerException.class, () -> MemoryStorage.withConfState(null));
    assertNotNull(ex.getMessage());
  }

  @Test
  void hardStateReturnsTheLastOneSet() {
    MemoryStorage ms = new MemoryStorage();
    assertEquals(HardState.getDefaultInstance(), ms.hardState());
    HardState hs = HardState.newBuilder().setTerm(4).setVote(3).setCommit(2).build();
    ms.setHardState(hs);
    assertSame(hs, ms.hardState());
    assertThrows(NullPointerException.class, () -> ms.setHardState(null));
    assertSame(hs, ms.hardState(), "a refused hard state changes nothing");
  }

  @Test
  void confStateIsTheLatestSnapshotsConfiguration() {
    MemoryStorage ms = new MemoryStorage();
    assertEquals(ConfState.getDefaultInstance(), ms.confState());
    ms.append(List.of(e(1, 1), e(2, 1)));
    ConfState cs = ConfState.newBuilder().addVoters(1).build();
    ms.createSnapshot(1, cs, ByteString.EMPTY);
    assertEquals(cs, ms.confState());
    ms.createSnapshot(2, VOTERS_123, ByteString.EMPTY);
    assertEquals(VOTERS_123, ms.confState());
    assertEquals(ms.initialState().confState(), ms.confState());
  }
}

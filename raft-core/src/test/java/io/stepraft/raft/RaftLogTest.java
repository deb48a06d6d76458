package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class RaftLogTest {

  private static final long NO_LIMIT = EntrySizes.NO_LIMIT;

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

  /**
   * A log whose storage holds a snapshot at (snapIndex, snapTerm) and {@code stable}, then {@code
   * unstable}.
   */
  private static RaftLog log(
      long snapIndex, long snapTerm, List<Entry> stable, List<Entry> unstable, long maxApplying) {
    MemoryStorage ms = new MemoryStorage();
    if (snapIndex > 0) {
      ms.applySnapshot(snap(snapIndex, snapTerm));
    }
    ms.append(stable);
    RaftLog log = new RaftLog(ms, NOPLogger.NOP_LOGGER, maxApplying);
    log.append(unstable);
    return log;
  }

  private static RaftLog log(List<Entry> stable, List<Entry> unstable) {
    return log(0, 0, stable, unstable, NO_LIMIT);
  }

  /** Storage: snapshot (3, 3), entries 4 (term 4), 5 (term 5); unstable: 6 (term 6), 7 (term 6). */
  private static RaftLog split() {
    return log(3, 3, List.of(e(4, 4), e(5, 5)), List.of(e(6, 6), e(7, 6)), NO_LIMIT);
  }

  private static List<Long> indexes(List<Entry> ents) {
    List<Long> out = new ArrayList<>();
    for (Entry x : ents) {
      out.add(x.getIndex());
    }
    return out;
  }

  @Test
  void newLogStartsAfterStorageAndCountsItAsApplied() {
    RaftLog log = log(3, 3, List.of(e(4, 4), e(5, 5)), List.of(), NO_LIMIT);
    assertEquals(4, log.firstIndex());
    assertEquals(5, log.lastIndex());
    assertEquals(6, log.unstable.offset);
    assertEquals(3, log.committed());
    assertEquals(3, log.applying());
    assertEquals(3, log.applied());
  }

  @Test
  void constructorRejectsNonPositiveApplyingLimit() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RaftLog(new MemoryStorage(), NOPLogger.NOP_LOGGER, 0));
  }

  @Test
  void findConflictIsZeroWhenEveryEntryMatches() {
    RaftLog log = split();
    assertEquals(0, log.findConflict(List.of()));
    assertEquals(0, log.findConflict(List.of(e(4, 4), e(5, 5), e(6, 6))));
    assertEquals(0, log.findConflict(List.of(e(7, 6))));
  }

  @Test
  void findConflictIsFirstEntryWithDifferentTerm() {
    RaftLog log = split();
    assertEquals(5, log.findConflict(List.of(e(4, 4), e(5, 6), e(6, 6))));
    assertEquals(7, log.findConflict(List.of(e(6, 6), e(7, 7))));
  }

  @Test
  void findConflictIsFirstNewIndexWhenEntriesExtendTheLog() {
    RaftLog log = split();
    assertEquals(8, log.findConflict(List.of(e(6, 6), e(7, 6), e(8, 6), e(9, 6))));
    assertEquals(8, log.findConflict(List.of(e(8, 7))));
  }

  @Test
  void findConflictByTermSkipsEntriesOfHigherTerms() {
    RaftLog log = log(List.of(e(1, 1), e(2, 1), e(3, 2), e(4, 2)), List.of(e(5, 3), e(6, 3)));
    assertEquals(6, log.findConflictByTerm(6, 3));
    assertEquals(4, log.findConflictByTerm(6, 2));
    assertEquals(2, log.findConflictByTerm(6, 1));
    assertEquals(0, log.findConflictByTerm(6, 0));
    assertEquals(2, log.findConflictByTerm(3, 1));
  }

  @Test
  void findConflictByTermStopsWhereTheTermIsUnknown() {
    RaftLog log = split();
    assertEquals(9, log.findConflictByTerm(9, 1), "beyond the last index the term is unknown");
    assertEquals(2, log.findConflictByTerm(5, 2), "below the snapshot the term is compacted");
    assertEquals(3, log.findConflictByTerm(5, 3), "the snapshot's term is known");
  }

  @Test
  void termOrZeroIsZeroForCompactedAndUnavailable() {
    RaftLog log = split();
    assertEquals(0, log.termOrZero(2));
    assertEquals(3, log.termOrZero(3));
    assertEquals(6, log.termOrZero(7));
    assertEquals(0, log.termOrZero(8));
  }

  @Test
  void maybeAppendAfterMatchingEntryAppendsAndCommits() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2), e(3, 3)), List.of());
    assertEquals(5, log.maybeAppend(3, 3, 4, List.of(e(4, 4), e(5, 4))));
    assertEquals(5, log.lastIndex());
    assertEquals(4, log.committed());
  }

  @Test
  void maybeAppendAfterMismatchingOrMissingEntryIsRejected() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2), e(3, 3)), List.of());
    assertEquals(-1, log.maybeAppend(3, 2, 3, List.of(e(4, 4))));
    assertEquals(-1, log.maybeAppend(4, 4, 3, List.of(e(5, 4))));
    assertEquals(3, log.lastIndex());
    assertEquals(0, log.committed());
  }

  @Test
  void maybeAppendCommitsNoFurtherThanTheLastNewEntry() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2), e(3, 3)), List.of());
    assertEquals(2, log.maybeAppend(1, 1, 10, List.of(e(2, 2))));
    assertEquals(2, log.committed(), "entry 3 may not be the leader's, so it is not committed");
    assertEquals(3, log.lastIndex(), "matching entries do not truncate the log");
  }

  @Test
  void maybeAppendReplacesConflictingUncommittedSuffix() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2), e(3, 3)), List.of());
    log.commitTo(1);
    assertEquals(2, log.maybeAppend(1, 1, 1, List.of(e(2, 4))));
    assertEquals(2, log.lastIndex());
    assertEquals(4, log.term(2));
    assertEquals(List.of(e(2, 4)), log.nextUnstableEnts());
  }

  @Test
  void maybeAppendConflictingWithCommittedEntryFails() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2), e(3, 3)), List.of());
    log.commitTo(3);
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> log.maybeAppend(1, 1, 3, List.of(e(2, 4))));
    assertEquals("entry 2 conflict with committed entry [committed(3)]", ex.getMessage());
  }

  @Test
  void maybeAppendRejectsEntriesNotFollowingTheIndex() {
    RaftLog log = log(List.of(e(1, 1)), List.of());
    assertThrows(IllegalArgumentException.class, () -> log.maybeAppend(1, 1, 1, List.of(e(3, 1))));
  }

  @Test
  void appendReplacesFromFirstNewIndexAndReturnsLastIndex() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2)), List.of());
    assertEquals(2, log.append(List.of()));
    assertEquals(4, log.append(List.of(e(3, 2), e(4, 2))));
    assertEquals(3, log.append(List.of(e(2, 3), e(3, 3))));
    assertEquals(List.of(e(1, 1), e(2, 3), e(3, 3)), log.allEntries());
  }

  @Test
  void appendBeforeCommittedIndexFails() {
    RaftLog log = log(List.of(e(1, 1), e(2, 2)), List.of());
    log.commitTo(2);
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> log.append(List.of(e(2, 3))));
    assertEquals("after(1) is out of range [committed(2)]", ex.getMessage());
  }

  @Test
  void commitToNeverDecreases() {
    RaftLog log = split();
    log.commitTo(6);
    log.commitTo(4);
    assertEquals(6, log.committed());
  }

  @Test
  void commitToBeyondLastIndexFailsWithMessage() {
    RaftLog log = split();
    IllegalStateException ex = assertThrows(IllegalStateException.class, () -> log.commitTo(12));
    assertEquals(
        "tocommit(12) is out of range [lastIndex(7)]. Was the raft log corrupted, truncated, or"
            + " lost?",
        ex.getMessage());
  }

  @Test
  void appliedToOutsideAppliedAndCommittedFails() {
    RaftLog log = split();
    log.commitTo(5);
    IllegalStateException beyond =
        assertThrows(IllegalStateException.class, () -> log.appliedTo(6, 0));
    assertEquals("applied(6) is out of range [prevApplied(3), committed(5)]", beyond.getMessage());
    log.appliedTo(5, 0);
    assertThrows(IllegalStateException.class, () -> log.appliedTo(4, 0));
    assertEquals(5, log.applied());
  }

  @Test
  void appliedToZeroIsIgnored() {
    RaftLog log = split();
    log.appliedTo(0, 0);
    assertEquals(3, log.applied());
  }

  @Test
  void appliedToMovesApplyingAndReleasesBytes() {
    RaftLog log = split();
    log.commitTo(5);
    log.acceptApplying(4, 100, false);
    log.appliedTo(5, 30);
    assertEquals(5, log.applied());
    assertEquals(5, log.applying());
    assertEquals(70, log.applyingEntsSizeBytes);
    log.appliedTo(5, 500);
    assertEquals(0, log.applyingEntsSizeBytes, "never negative");
  }

  @Test
  void acceptApplyingBeyondCommittedFails() {
    RaftLog log = split();
    log.commitTo(5);
    assertThrows(IllegalStateException.class, () -> log.acceptApplying(6, 0, true));
  }

  @Test
  void maxAppliableIndexCapsAtLastStableEntryUnlessUnstableAllowed() {
    RaftLog log = split();
    log.commitTo(7);
    assertEquals(5, log.maxAppliableIndex(false));
    assertEquals(7, log.maxAppliableIndex(true));
    log.commitTo(4);
    assertEquals(7, log.maxAppliableIndex(true));
  }

  @Test
  void nextCommittedEntsExcludeUnstableEntriesUnlessAllowed() {
    RaftLog log = split();
    log.commitTo(7);
    assertEquals(List.of(4L, 5L), indexes(log.nextCommittedEnts(false)));
    assertEquals(List.of(4L, 5L, 6L, 7L), indexes(log.nextCommittedEnts(true)));
    assertTrue(log.hasNextCommittedEnts(false));
    ((MemoryStorage) log.storage).append(List.of(e(6, 6), e(7, 6)));
    log.stableTo(7, 6);
    assertEquals(List.of(4L, 5L, 6L, 7L), indexes(log.nextCommittedEnts(false)));
  }

  @Test
  void nextCommittedEntsStartAfterApplyingAndStopAtCommitted() {
    RaftLog log = split();
    log.commitTo(6);
    log.acceptApplying(4, 0, true);
    assertEquals(List.of(5L, 6L), indexes(log.nextCommittedEnts(true)));
    log.acceptApplying(6, 0, true);
    assertEquals(List.of(), log.nextCommittedEnts(true));
    assertFalse(log.hasNextCommittedEnts(true));
  }

  @Test
  void nextCommittedEntsWaitForAPendingSnapshot() {
    RaftLog log = split();
    log.restore(snap(10, 7));
    log.append(List.of(e(11, 7)));
    log.commitTo(11);
    assertFalse(log.hasNextCommittedEnts(true));
    assertEquals(List.of(), log.nextCommittedEnts(true));
    ((MemoryStorage) log.storage).applySnapshot(snap(10, 7));
    log.stableSnapTo(10);
    log.appliedTo(10, 0);
    assertEquals(List.of(11L), indexes(log.nextCommittedEnts(true)));
  }

  @Test
  void nextCommittedEntsPauseOnceApplyingBytesReachTheLimit() {
    List<Entry> stable = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      stable.add(e(i, 1, 100));
    }
    long one = stable.get(0).getSerializedSize();
    RaftLog log = log(0, 0, stable, List.of(), one * 5 / 2);
    log.commitTo(6);

    List<Entry> first = log.nextCommittedEnts(false);
    assertEquals(List.of(1L, 2L), indexes(first), "within the limit");
    log.acceptApplying(2, EntrySizes.entriesSize(first), false);
    assertFalse(log.applyingEntsPaused);

    List<Entry> second = log.nextCommittedEnts(false);
    assertEquals(List.of(3L), indexes(second), "at least one entry even over the remaining budget");
    log.acceptApplying(3, EntrySizes.entriesSize(second), false);
    assertTrue(log.applyingEntsPaused);
    assertFalse(log.hasNextCommittedEnts(false));
    assertEquals(List.of(), log.nextCommittedEnts(false));

    log.appliedTo(2, EntrySizes.entriesSize(first));
    assertFalse(log.applyingEntsPaused);
    assertEquals(List.of(4L), indexes(log.nextCommittedEnts(false)));
  }

  @Test
  void isUpToDateComparesLastTermThenLength() {
    RaftLog log = split();
    assertTrue(log.isUpToDate(1, 7), "a higher last term wins even when shorter");
    assertTrue(log.isUpToDate(7, 6), "same term, same length");
    assertTrue(log.isUpToDate(8, 6), "same term, longer");
    assertFalse(log.isUpToDate(6, 6), "same term, shorter");
    assertFalse(log.isUpToDate(9, 5), "a lower last term loses even when longer");
  }

  @Test
  void termIsKnownFromSnapshotIndexToLastIndex() {
    RaftLog log = split();
    assertThrows(CompactedException.class, () -> log.term(2));
    assertEquals(3, log.term(3));
    assertEquals(5, log.term(5));
    assertEquals(6, log.term(6));
    assertEquals(6, log.term(7));
    assertThrows(UnavailableException.class, () -> log.term(8));
    assertEquals(6, log.lastTerm());
  }

  @Test
  void termAfterRestoreComesFromTheUnstableSnapshot() {
    RaftLog log = split();
    log.restore(snap(10, 9));
    assertEquals(9, log.term(10));
    assertEquals(9, log.lastTerm());
    assertThrows(CompactedException.class, () -> log.term(5));
    assertThrows(UnavailableException.class, () -> log.term(11));
  }

  @Test
  void termAfterStorageCompactionIsCompacted() {
    MemoryStorage ms = new MemoryStorage();
    ms.append(List.of(e(1, 1), e(2, 1), e(3, 2)));
    RaftLog log = new RaftLog(ms, NOPLogger.NOP_LOGGER, NO_LIMIT);
    ms.compact(2);
    assertThrows(CompactedException.class, () -> log.term(1));
    assertEquals(1, log.term(2));
    assertFalse(log.matchTerm(1, 1));
    assertTrue(log.matchTerm(3, 2));
  }

  @Test
  void matchTermIsFalseOutsideTheKnownRange() {
    RaftLog log = split();
    assertFalse(log.matchTerm(2, 2));
    assertFalse(log.matchTerm(8, 6));
    assertFalse(log.matchTerm(7, 5));
    assertTrue(log.matchTerm(7, 6));
  }

  @Test
  void sliceSpansStorageAndUnstable() {
    RaftLog log = split();
    assertEquals(List.of(e(4, 4), e(5, 5), e(6, 6), e(7, 6)), log.slice(4, 8, NO_LIMIT));
    assertEquals(List.of(e(5, 5), e(6, 6)), log.slice(5, 7, NO_LIMIT));
    assertEquals(List.of(e(4, 4)), log.slice(4, 5, NO_LIMIT));
    assertEquals(List.of(e(7, 6)), log.slice(7, 8, NO_LIMIT));
    assertEquals(List.of(), log.slice(6, 6, NO_LIMIT));
  }

  @Test
  void sliceSizeLimitCanStopInsideStorage() {
    RaftLog log =
        log(0, 0, List.of(e(1, 1, 50), e(2, 1, 50), e(3, 1, 50)), List.of(e(4, 1, 50)), NO_LIMIT);
    long one = e(1, 1, 50).getSerializedSize();
    assertEquals(List.of(1L, 2L), indexes(log.slice(1, 5, 2 * one)));
    assertEquals(List.of(1L), indexes(log.slice(1, 5, 0)), "at least one entry");
  }

  @Test
  void sliceSizeLimitCanStopInsideUnstable() {
    RaftLog log = log(0, 0, List.of(e(1, 1, 50)), List.of(e(2, 1, 50), e(3, 1, 50)), NO_LIMIT);
    long one = e(1, 1, 50).getSerializedSize();
    assertEquals(List.of(1L), indexes(log.slice(1, 4, one)), "the storage part filled the budget");
    assertEquals(
        List.of(1L),
        indexes(log.slice(1, 4, 2 * one - 1)),
        "no oversized unstable entry after stored ones");
    assertEquals(List.of(1L, 2L), indexes(log.slice(1, 4, 2 * one)));
    assertEquals(List.of(2L), indexes(log.slice(2, 4, 0)), "at least one entry from unstable");
  }

  @Test
  void sliceOutOfBoundsFailsWithNumbers() {
    RaftLog log = split();
    IllegalStateException inverted =
        assertThrows(IllegalStateException.class, () -> log.slice(5, 3, NO_LIMIT));
    assertEquals("invalid slice 5 > 3", inverted.getMessage());
    assertThrows(CompactedException.class, () -> log.slice(3, 5, NO_LIMIT));
    IllegalStateException beyond =
        assertThrows(IllegalStateException.class, () -> log.slice(5, 12, NO_LIMIT));
    assertEquals("slice[5,12) out of bound [4,7]", beyond.getMessage());
  }

  @Test
  void sliceResultIsNotAlteredByLaterAppends() {
    RaftLog log = split();
    List<Entry> got = log.slice(4, 8, NO_LIMIT);
    log.append(List.of(e(6, 9)));
    assertEquals(List.of(e(4, 4), e(5, 5), e(6, 6), e(7, 6)), got);
  }

  @Test
  void entriesFromBeyondLastIndexAreEmpty() {
    RaftLog log = split();
    assertEquals(List.of(), log.entries(8, NO_LIMIT));
    assertEquals(List.of(e(7, 6)), log.entries(7, NO_LIMIT));
    assertEquals(List.of(e(4, 4), e(5, 5), e(6, 6), e(7, 6)), log.allEntries());
  }

  @Test
  void restoreMakesTheSnapshotTheWholeLog() {
    RaftLog log = split();
    log.commitTo(5);
    Snapshot s = snap(10, 9);
    log.restore(s);
    assertEquals(10, log.committed());
    assertEquals(11, log.firstIndex());
    assertEquals(10, log.lastIndex());
    assertSame(s, log.snapshot());
    assertSame(s, log.nextUnstableSnapshot());
    assertTrue(log.hasNextUnstableSnapshot());
    assertFalse(log.hasNextOrInProgressUnstableEnts());
    assertEquals(List.of(), log.allEntries());
  }

  @Test
  void restoreOlderThanCommittedFails() {
    RaftLog log = split();
    log.commitTo(6);
    assertThrows(IllegalStateException.class, () -> log.restore(snap(5, 5)));
  }

  @Test
  void snapshotIsTheStoragesWithoutAnUnstableOne() {
    RaftLog log = split();
    assertEquals(3, log.snapshot().getMetadata().getIndex());
    assertNull(log.nextUnstableSnapshot());
  }

  @Test
  void acceptedSnapshotIsInProgressUntilStable() {
    RaftLog log = split();
    log.restore(snap(10, 9));
    log.acceptUnstable();
    assertFalse(log.hasNextUnstableSnapshot());
    assertTrue(log.hasNextOrInProgressSnapshot());
    log.stableSnapTo(10);
    assertFalse(log.hasNextOrInProgressSnapshot());
  }

  @Test
  void stableToRemovesEntriesFromTheUnstableTail() {
    RaftLog log = split();
    assertEquals(List.of(e(6, 6), e(7, 6)), log.nextUnstableEnts());
    log.acceptUnstable();
    assertFalse(log.hasNextUnstableEnts());
    assertEquals(List.of(), log.nextUnstableEnts());
    assertTrue(log.hasNextOrInProgressUnstableEnts());
    ((MemoryStorage) log.storage).append(List.of(e(6, 6), e(7, 6)));
    log.stableTo(6, 6);
    assertEquals(7, log.unstable.offset);
    log.stableTo(7, 6);
    assertFalse(log.hasNextOrInProgressUnstableEnts());
    assertEquals(List.of(e(4, 4), e(5, 5), e(6, 6), e(7, 6)), log.allEntries());
  }

  @Test
  void stableToOfAReplacedEntryKeepsItsReplacementUnstable() {
    RaftLog log = split();
    log.acceptUnstable();
    log.append(List.of(e(7, 7)));
    log.stableTo(7, 6);
    assertEquals(6, log.unstable.offset);
    assertEquals(List.of(e(7, 7)), log.nextUnstableEnts());
  }

  @Test
  void maybeCommitOnlyCommitsEntriesOfTheGivenTerm() {
    RaftLog log = log(List.of(e(1, 1), e(2, 1)), List.of(e(3, 2)));
    assertFalse(log.maybeCommit(2, 2), "entry 2 is of an earlier term");
    assertEquals(0, log.committed());
    assertTrue(log.maybeCommit(3, 2));
    assertEquals(3, log.committed());
    assertFalse(log.maybeCommit(3, 2), "not beyond the commit index");
    assertFalse(log.maybeCommit(4, 2), "not held");
  }

  @Test
  void toStringShowsCursorsAndUnstableShape() {
    RaftLog log = split();
    assertEquals(
        "committed=3, applied=3, applying=3, unstable.offset=6, unstable.offsetInProgress=6, "
            + "len(unstable.entries)=2",
        log.toString());
  }

  /** slice and term against a plain list, over random splits between storage and unstable. */
  @Test
  void sliceAndTermAgreeWithNaiveModel() {
    long seed = 0x5eed_0003L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < 3000; c++) {
      long snapIndex = random.nextInt(5);
      int stableCount = random.nextInt(6);
      int unstableCount = random.nextInt(6);
      List<Entry> all = new ArrayList<>();
      long term = snapIndex;
      for (int k = 0; k < stableCount + unstableCount; k++) {
        term += random.nextInt(2);
        all.add(e(snapIndex + 1 + k, term, random.nextInt(40)));
      }
      RaftLog log =
          log(
              snapIndex,
              snapIndex,
              all.subList(0, stableCount),
              all.subList(stableCount, all.size()),
              NO_LIMIT);
      String caseId =
          "seed "
              + seed
              + " case "
              + c
              + " snap "
              + snapIndex
              + " stable "
              + stableCount
              + " unstable "
              + unstableCount;
      for (int k = 0; k < all.size(); k++) {
        if (log.term(all.get(k).getIndex()) != all.get(k).getTerm()) {
          fail(caseId + ": term(" + all.get(k).getIndex() + ")");
        }
      }
      for (int q = 0; q < 5; q++) {
        int lo = random.nextInt(all.size() + 1);
        int hi = lo + random.nextInt(all.size() - lo + 1);
        long max = random.nextInt(200);
        List<Entry> expected = naiveLimit(all.subList(lo, hi), max);
        List<Entry> got = log.slice(snapIndex + 1 + lo, snapIndex + 1 + hi, max);
        if (!expected.equals(got)) {
          fail(
              caseId
                  + ": slice["
                  + lo
                  + ","
                  + hi
                  + ") max "
                  + max
                  + " got "
                  + indexes(got)
                  + " expected "
                  + indexes(expected));
        }
      }
    }
  }

  private static List<Entry> naiveLimit(List<Entry> ents, long max) {
    List<Entry> out = new ArrayList<>();
    long size = 0;
    for (Entry x : ents) {
      size += x.getSerializedSize();
      if (!out.isEmpty() && size > max) {
        break;
      }
      out.add(x);
    }
    return out;
  }
}

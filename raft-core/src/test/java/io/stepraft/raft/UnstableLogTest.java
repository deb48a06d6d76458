package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class UnstableLogTest {

  private static Entry e(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term).build();
  }

  private static Snapshot snap(long index, long term) {
    return Snapshot.newBuilder()
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term))
        .build();
  }

  private static UnstableLog log(long offset, Snapshot snapshot, Entry... ents) {
    UnstableLog u = new UnstableLog(offset, NOPLogger.NOP_LOGGER);
    u.snapshot = snapshot;
    u.entries.addAll(List.of(ents));
    return u;
  }

  private static void checkInvariant(UnstableLog u) {
    assertTrue(
        u.offset <= u.offsetInProgress && u.offsetInProgress <= u.offset + u.entries.size(),
        () -> "offsetInProgress out of range: " + u);
  }

  @Test
  void maybeFirstIndexIsSnapshotIndexPlusOneOrUnknown() {
    assertEquals(-1, log(5, null, e(5, 1)).maybeFirstIndex());
    assertEquals(-1, log(0, null).maybeFirstIndex());
    assertEquals(5, log(5, snap(4, 1), e(5, 1)).maybeFirstIndex());
    assertEquals(5, log(5, snap(4, 1)).maybeFirstIndex());
  }

  @Test
  void maybeLastIndexIsLastEntryElseSnapshotElseUnknown() {
    assertEquals(5, log(5, null, e(5, 1)).maybeLastIndex());
    assertEquals(5, log(5, snap(4, 1), e(5, 1)).maybeLastIndex());
    assertEquals(4, log(5, snap(4, 1)).maybeLastIndex());
    assertEquals(-1, log(0, null).maybeLastIndex());
  }

  @Test
  void maybeTermOfHeldEntryIsItsTerm() {
    assertEquals(1, log(5, null, e(5, 1)).maybeTerm(5));
    assertEquals(1, log(5, snap(4, 1), e(5, 1)).maybeTerm(5));
  }

  @Test
  void maybeTermOutsideEntriesIsUnknownWithoutSnapshot() {
    UnstableLog u = log(5, null, e(5, 1));
    assertEquals(-1, u.maybeTerm(6));
    assertEquals(-1, u.maybeTerm(4));
    assertEquals(-1, log(5, null).maybeTerm(5));
  }

  @Test
  void maybeTermAtSnapshotIndexIsSnapshotTerm() {
    assertEquals(1, log(5, snap(4, 1), e(5, 2)).maybeTerm(4));
    assertEquals(1, log(5, snap(4, 1)).maybeTerm(4));
    assertEquals(-1, log(5, snap(4, 1), e(5, 2)).maybeTerm(3));
    assertEquals(-1, log(5, snap(4, 1)).maybeTerm(5));
  }

  @Test
  void nextEntriesAreThoseNotInProgress() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1));
    assertEquals(List.of(e(5, 1), e(6, 1)), u.nextEntries());
    u.offsetInProgress = 6;
    assertEquals(List.of(e(6, 1)), u.nextEntries());
    u.offsetInProgress = 7;
    assertEquals(List.of(), u.nextEntries());
    assertFalse(u.hasNextEntries());
  }

  @Test
  void nextEntriesIsACopyUnaffectedByLaterAppends() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1));
    List<Entry> next = u.nextEntries();
    u.truncateAndAppend(List.of(e(6, 2), e(7, 2)));
    assertEquals(List.of(e(5, 1), e(6, 1)), next);
  }

  @Test
  void nextSnapshotIsNullOnceInProgress() {
    Snapshot s = snap(4, 1);
    UnstableLog u = log(5, s);
    assertSame(s, u.nextSnapshot());
    u.acceptInProgress();
    assertNull(u.nextSnapshot());
    assertNull(log(5, null).nextSnapshot());
  }

  @Test
  void acceptInProgressMarksAllEntriesAndSnapshot() {
    UnstableLog u = log(5, snap(4, 1), e(5, 1), e(6, 1));
    u.acceptInProgress();
    assertEquals(7, u.offsetInProgress);
    assertTrue(u.snapshotInProgress);
    assertEquals(List.of(), u.nextEntries());
    u.truncateAndAppend(List.of(e(7, 1)));
    assertEquals(List.of(e(7, 1)), u.nextEntries(), "later entries are not in progress");
  }

  @Test
  void acceptInProgressWithoutSnapshotLeavesSnapshotFlagClear() {
    UnstableLog u = log(5, null, e(5, 1));
    u.acceptInProgress();
    assertFalse(u.snapshotInProgress);
    assertEquals(6, u.offsetInProgress);
  }

  @Test
  void stableToDropsEntriesUpToIndex() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1), e(7, 1));
    u.acceptInProgress();
    u.stableTo(6, 1);
    assertEquals(7, u.offset);
    assertEquals(8, u.offsetInProgress);
    assertEquals(List.of(e(7, 1)), u.entries);
  }

  @Test
  void stableToMovesOffsetInProgressUpWhenEntriesWereNotInProgress() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1));
    u.stableTo(5, 1);
    assertEquals(6, u.offset);
    assertEquals(6, u.offsetInProgress);
    checkInvariant(u);
  }

  @Test
  void stableToWithMismatchedTermIsIgnored() {
    UnstableLog u = log(5, null, e(5, 2), e(6, 2));
    u.stableTo(6, 1);
    assertEquals(5, u.offset);
    assertEquals(2, u.entries.size());
  }

  @Test
  void stableToOfUnknownIndexIsIgnored() {
    UnstableLog u = log(5, null, e(5, 1));
    u.stableTo(4, 1);
    u.stableTo(6, 1);
    assertEquals(5, u.offset);
    assertEquals(1, u.entries.size());
  }

  @Test
  void stableToOfSnapshotIndexIsIgnored() {
    UnstableLog u = log(5, snap(4, 1), e(5, 1));
    u.stableTo(4, 1);
    assertEquals(5, u.offset);
    assertEquals(1, u.entries.size());
    assertEquals(4, u.snapshot.getMetadata().getIndex());
  }

  @Test
  void stableToAfterLargeBacklogKeepsRemainingEntries() {
    UnstableLog u = log(1, null);
    List<Entry> batch = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      batch.add(e(i, 1));
    }
    u.truncateAndAppend(batch);
    u.stableTo(995, 1);
    assertEquals(996, u.offset);
    assertEquals(List.of(e(996, 1), e(997, 1), e(998, 1), e(999, 1), e(1000, 1)), u.entries);
    u.truncateAndAppend(List.of(e(1001, 1)));
    assertEquals(1001, u.maybeLastIndex());
  }

  @Test
  void stableSnapToClearsSnapshotOnlyAtItsIndex() {
    UnstableLog u = log(5, snap(4, 1));
    u.acceptInProgress();
    u.stableSnapTo(3);
    assertEquals(4, u.snapshot.getMetadata().getIndex());
    u.stableSnapTo(4);
    assertNull(u.snapshot);
    assertFalse(u.snapshotInProgress);
  }

  @Test
  void restoreReplacesEntriesWithSnapshot() {
    UnstableLog u = log(5, snap(4, 1), e(5, 1), e(6, 1));
    u.acceptInProgress();
    Snapshot s = snap(10, 3);
    u.restore(s);
    assertEquals(11, u.offset);
    assertEquals(11, u.offsetInProgress);
    assertTrue(u.entries.isEmpty());
    assertSame(s, u.snapshot);
    assertFalse(u.snapshotInProgress);
    assertSame(s, u.nextSnapshot());
  }

  @Test
  void truncateAndAppendAtEndAppendsAndKeepsProgress() {
    UnstableLog u = log(5, null, e(5, 1));
    u.acceptInProgress();
    u.truncateAndAppend(List.of(e(6, 1), e(7, 1)));
    assertEquals(5, u.offset);
    assertEquals(6, u.offsetInProgress);
    assertEquals(List.of(e(5, 1), e(6, 1), e(7, 1)), u.entries);
  }

  @Test
  void truncateAndAppendAtOrBeforeOffsetReplacesEverything() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1));
    u.acceptInProgress();
    u.truncateAndAppend(List.of(e(5, 2), e(6, 2)));
    assertEquals(5, u.offset);
    assertEquals(5, u.offsetInProgress);
    assertEquals(List.of(e(5, 2), e(6, 2)), u.entries);

    u.acceptInProgress();
    u.truncateAndAppend(List.of(e(4, 3)));
    assertEquals(4, u.offset);
    assertEquals(4, u.offsetInProgress);
    assertEquals(List.of(e(4, 3)), u.entries);
  }

  @Test
  void truncateAndAppendInsideEntriesTruncatesAndPullsProgressBack() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1), e(7, 1));
    u.acceptInProgress();
    u.truncateAndAppend(List.of(e(6, 2)));
    assertEquals(5, u.offset);
    assertEquals(6, u.offsetInProgress);
    assertEquals(List.of(e(5, 1), e(6, 2)), u.entries);
    assertEquals(List.of(e(6, 2)), u.nextEntries());
  }

  @Test
  void truncateAndAppendInsideEntriesKeepsLowerProgress() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1), e(7, 1));
    u.offsetInProgress = 6;
    u.truncateAndAppend(List.of(e(7, 2)));
    assertEquals(6, u.offsetInProgress);
    assertEquals(List.of(e(5, 1), e(6, 1), e(7, 2)), u.entries);
  }

  @Test
  void truncateAndAppendCopiesTheCallersList() {
    UnstableLog u = log(5, null);
    List<Entry> mine = new ArrayList<>(List.of(e(5, 1)));
    u.truncateAndAppend(mine);
    mine.set(0, e(5, 9));
    assertEquals(1, u.maybeTerm(5));
  }

  @Test
  void truncateAndAppendLeavingAGapFails() {
    UnstableLog u = log(5, null, e(5, 1));
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> u.truncateAndAppend(List.of(e(7, 1))));
    assertTrue(ex.getMessage().contains("7"), ex.getMessage());
  }

  @Test
  void sliceReturnsACopyOfTheRange() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1), e(7, 1));
    List<Entry> got = u.slice(6, 8);
    assertEquals(List.of(e(6, 1), e(7, 1)), got);
    u.truncateAndAppend(List.of(e(6, 2)));
    assertEquals(List.of(e(6, 1), e(7, 1)), got);
  }

  @Test
  void sliceOutOfBoundsFailsWithNumbers() {
    UnstableLog u = log(5, null, e(5, 1), e(6, 1));
    IllegalStateException low = assertThrows(IllegalStateException.class, () -> u.slice(4, 6));
    assertEquals("unstable.slice[4,6) out of bound [5,7]", low.getMessage());
    assertThrows(IllegalStateException.class, () -> u.slice(5, 8));
    IllegalStateException inverted = assertThrows(IllegalStateException.class, () -> u.slice(6, 5));
    assertEquals("invalid unstable.slice 6 > 5", inverted.getMessage());
  }

  /** Random appends, progress and stable reports keep offset <= offsetInProgress <= end. */
  @Test
  void randomOperationsKeepOffsetInProgressInvariant() {
    long seed = 0x5eed_0002L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < 2000; c++) {
      UnstableLog u = log(1, null);
      List<Entry> model = new ArrayList<>(); // every entry ever kept, by index - 1
      for (int op = 0; op < 30; op++) {
        long end = u.offset + u.entries.size();
        switch (random.nextInt(3)) {
          case 0 -> {
            long from = Math.max(u.offset - random.nextInt(2), end - random.nextInt(4));
            from = Math.max(from, 1);
            long term = 1 + random.nextInt(5);
            List<Entry> batch = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
              batch.add(e(from + k, term));
            }
            u.truncateAndAppend(batch);
            while (model.size() >= from) {
              model.remove(model.size() - 1);
            }
            model.addAll(batch);
          }
          case 1 -> u.acceptInProgress();
          default -> {
            if (!u.entries.isEmpty()) {
              long index = u.offset + random.nextInt(u.entries.size());
              u.stableTo(index, model.get((int) index - 1).getTerm());
            }
          }
        }
        if (!(u.offset <= u.offsetInProgress
            && u.offsetInProgress <= u.offset + u.entries.size())) {
          fail("seed " + seed + " case " + c + " op " + op + ": " + u);
        }
        for (int k = 0; k < u.entries.size(); k++) {
          if (!u.entries.get(k).equals(model.get((int) (u.offset + k) - 1))) {
            fail(
                "seed "
                    + seed
                    + " case "
                    + c
                    + " op "
                    + op
                    + ": entry "
                    + (u.offset + k)
                    + " differs");
          }
        }
      }
    }
  }
}

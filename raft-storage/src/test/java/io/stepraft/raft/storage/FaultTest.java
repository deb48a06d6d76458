package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.entries;
import static io.stepraft.raft.storage.WalFixture.entry;
import static io.stepraft.raft.storage.WalFixture.open;
import static io.stepraft.raft.storage.WalFixture.replayed;
import static io.stepraft.raft.storage.WalFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, a failed fsync and a power cut, injected under the WAL: the call that meets the
 * fault throws WalFailedException, so does every later one, and reopening (space freed, power back)
 * recovers every acknowledged record and nothing damaged.
 */
class FaultTest {
  @TempDir Path root;

  @Test
  void aFullDiskFailStopsTheWalAndAReopenRecoversExactlyWhatWasAcknowledged() throws IOException {
    // Budgets from mid-record to well past a segment cut, so that the disk also fills up while a
    // new segment is preallocated.
    for (long budget = 0; budget < 6000; budget += 173) {
      Path dir = root.resolve("full-" + budget);
      FaultyFileIo io = new FaultyFileIo();
      long acknowledged = 0;
      Wal wal = open(dir, io);
      io.spaceLeft(budget);
      try {
        for (long i = 1; i <= 100; i++) {
          wal.save(1, null, List.of(entry(i, 1, "x".repeat(40))), state(1, i - 1), true);
          acknowledged = i;
        }
      } catch (WalFailedException e) {
        assertTrue(e.getMessage().contains("No space left"), e.getMessage());
        WalFailedException later =
            assertThrows(
                WalFailedException.class,
                () -> wal.save(1, null, List.of(), state(1, 0), true),
                "budget " + budget);
        assertTrue(later.getMessage().contains("failed earlier"), later.getMessage());
      }
      assertTrue(acknowledged < 100, "the disk filled up, budget " + budget);
      wal.close();
      try (Wal reopened = open(dir)) {
        // The failed save's entry may have been written whole before its hard state hit the
        // full disk: it is there or not, never damaged.
        List<Entry> got = replayed(reopened);
        assertTrue(
            got.size() == acknowledged || got.size() == acknowledged + 1,
            "budget " + budget + ": acknowledged " + acknowledged + ", replayed " + got.size());
        for (Entry e : got) {
          assertEquals("x".repeat(40), e.getData().toStringUtf8());
        }
        reopened.save(1, null, List.of(entry(got.size() + 1, 2, "after")), null, true);
        acknowledged = got.size() + 1;
      }
      try (Wal reopened = open(dir)) {
        assertEquals(acknowledged, replayed(reopened).size());
      }
    }
  }

  @Test
  void aFailedFsyncIsNeverRetriedAndEveryLaterCallFails() {
    Path dir = root.resolve("fsync");
    FaultyFileIo io = new FaultyFileIo();
    Wal wal = open(dir, io);
    WalFixture.append(wal, 1, 3, 1);
    io.failForceAfter(0);
    WalFailedException e =
        assertThrows(
            WalFailedException.class, () -> wal.save(1, null, entries(4, 4, 1), null, true));
    assertTrue(e.getMessage().contains("fsync"), e.getMessage());
    assertThrows(WalFailedException.class, () -> wal.save(1, null, entries(5, 5, 1), null, false));
    assertThrows(WalFailedException.class, wal::release);
    wal.close();
    try (Wal reopened = open(dir)) {
      List<Entry> got = replayed(reopened);
      assertTrue(got.size() == 3 || got.size() == 4, "acknowledged 3, the 4th may be there");
      assertEquals(entries(1, 3, 1), got.subList(0, 3));
    }
  }

  @Test
  void aFailedSnapshotWriteFailStopsDurableStorage() {
    Path data = root.resolve("snapfail");
    FaultyFileIo io = new FaultyFileIo();
    DurableStorage ds =
        DurableStorage.open(
            data, StorageOptions.builder().preallocateInBackground(false).build(), io);
    WalFixture.append(ds.wal(), 1, 3, 1);
    ds.close();
    DurableStorage again =
        DurableStorage.open(
            data, StorageOptions.builder().preallocateInBackground(false).build(), io);
    io.spaceLeft(10);
    assertThrows(
        WalFailedException.class,
        () -> again.createSnapshot(2, null, com.google.protobuf.ByteString.copyFromUtf8("s")));
    assertThrows(WalFailedException.class, () -> again.compact(1));
    again.close();
    try (DurableStorage reopened = DurableStorage.open(data, StorageOptions.builder().build())) {
      assertEquals(0, reopened.raftStorage().snapshot().getMetadata().getIndex());
      assertEquals(3, reopened.raftStorage().lastIndex());
    }
  }

  @Test
  void aPowerCutKeepsEverySyncedRecordAndAPrefixOfTheRest() throws IOException {
    for (int seed = 0; seed < 150; seed++) {
      Random random = new Random(seed);
      Path dir = root.resolve("power-" + seed);
      FaultyFileIo io = new FaultyFileIo().holdUnsyncedWrites();
      Wal wal = open(dir, io);
      long synced = 0;
      long written = 0;
      long term = 1;
      int saves = 5 + random.nextInt(60);
      for (int s = 0; s < saves; s++) {
        long from = written + 1;
        if (written > synced + 1 && random.nextInt(5) == 0) {
          // A new leader replaces an unsynced tail: never below what was synced.
          from = synced + 1 + random.nextInt((int) (written - synced));
          term++;
        }
        long to = from + random.nextInt(4);
        boolean sync = random.nextInt(3) == 0;
        String pad = "p".repeat(random.nextInt(300));
        List<Entry> batch = new java.util.ArrayList<>();
        for (long i = from; i <= to; i++) {
          batch.add(entry(i, term, i + pad));
        }
        wal.save(1, null, batch, state(term, 0), sync);
        written = to;
        if (sync) {
          synced = to;
        }
      }
      io.powerLoss(random);
      try (Wal reopened = open(dir)) {
        List<Entry> got = replayed(reopened);
        assertTrue(
            got.size() >= synced, "seed " + seed + ": synced " + synced + ", got " + got.size());
        for (int i = 0; i < got.size(); i++) {
          assertEquals(i + 1, got.get(i).getIndex(), "seed " + seed);
        }
      }
    }
  }
}

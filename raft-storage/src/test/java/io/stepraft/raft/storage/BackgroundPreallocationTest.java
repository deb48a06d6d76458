package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.META;
import static io.stepraft.raft.storage.WalFixture.SEGMENT_BYTES;
import static io.stepraft.raft.storage.WalFixture.entries;
import static io.stepraft.raft.storage.WalFixture.entry;
import static io.stepraft.raft.storage.WalFixture.replayed;
import static io.stepraft.raft.storage.WalFixture.segments;
import static io.stepraft.raft.storage.WalFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next segment prepared on the WAL's own thread: cuts produce the same segments as inline
 * preallocation, and a full disk met while preparing the spare fail-stops the WAL at the cut that
 * needs it, not before and not silently.
 */
class BackgroundPreallocationTest {
  @TempDir Path root;

  private static Wal open(Path dir, FileIo io) {
    return Wal.open(dir, io, SEGMENT_BYTES, true, META, true);
  }

  @Test
  void segmentsCutFromTheSpareReplayEveryEntryAndCloseLeavesNoSpare() throws IOException {
    Path dir = root.resolve("wal");
    try (Wal wal = open(dir, FileIo.SYSTEM)) {
      WalFixture.append(wal, 1, 300, 1);
      assertTrue(wal.segmentNames().size() >= 5, "segments: " + wal.segmentNames());
    }
    assertFalse(Files.exists(dir.resolve(SparePreallocator.SPARE_NAME)), "the spare is deleted");
    List<Path> files = segments(dir);
    for (Path p : files) {
      assertEquals(SEGMENT_BYTES, Files.size(p), "every segment is preallocated whole: " + p);
    }
    try (Wal reopened = open(dir, FileIo.SYSTEM)) {
      assertEquals(entries(1, 300, 1), replayed(reopened));
      assertEquals(files.size(), reopened.segmentNames().size());
      WalFixture.append(reopened, 301, 400, 2);
    }
    try (Wal reopened = Wal.open(dir, FileIo.SYSTEM, SEGMENT_BYTES, true, META)) {
      List<Entry> got = replayed(reopened);
      assertEquals(400, got.size());
      assertEquals(entries(301, 400, 2), got.subList(300, 400));
    }
  }

  @Test
  void closeStopsThePreallocationThread() throws InterruptedException {
    Set<Thread> before = preallocThreads();
    Wal wal = open(root.resolve("stop"), FileIo.SYSTEM);
    WalFixture.append(wal, 1, 100, 1);
    Set<Thread> started = preallocThreads();
    started.removeAll(before);
    assertEquals(1, started.size(), "one thread per WAL");
    Thread t = started.iterator().next();
    assertTrue(t.isDaemon());
    wal.close();
    t.join(10_000);
    assertFalse(t.isAlive(), "the thread ends at close");
  }

  private static Set<Thread> preallocThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(SparePreallocator.THREAD_NAME)) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void aFullDiskWhilePreparingTheSpareFailStopsTheWalAtTheCutNotBefore() throws IOException {
    Path dir = root.resolve("full");
    FaultyFileIo io = new FaultyFileIo().fullFor(SparePreallocator.SPARE_NAME);
    Wal wal = open(dir, io);
    long acknowledged = 0;
    WalFailedException failed = null;
    for (long i = 1; i <= 200 && failed == null; i++) {
      int segmentsBefore = wal.segmentNames().size();
      try {
        wal.save(1, null, List.of(entry(i, 1, "x".repeat(40))), state(1, i - 1), true);
        assertEquals(1, wal.segmentNames().size(), "no cut can succeed without the spare");
        acknowledged = i;
      } catch (WalFailedException e) {
        assertEquals(1, segmentsBefore);
        failed = e;
      }
    }
    assertTrue(failed != null, "the cut must fail");
    assertTrue(acknowledged > 10, "saves before the cut succeed: " + acknowledged);
    assertTrue(failed.getMessage().contains("starting WAL segment 1"), failed.getMessage());
    assertTrue(failed.getMessage().contains("No space left"), failed.getMessage());
    long next = acknowledged + 1;
    WalFailedException later =
        assertThrows(
            WalFailedException.class, () -> wal.save(1, null, entries(next, next, 1), null, true));
    assertTrue(later.getMessage().contains("failed earlier"), later.getMessage());
    wal.close();
    assertFalse(Files.exists(dir.resolve(SparePreallocator.SPARE_NAME)), "the spare is deleted");
    try (Wal reopened = open(dir, FileIo.SYSTEM)) {
      assertEquals(acknowledged, replayed(reopened).size());
      for (Entry e : replayed(reopened)) {
        assertEquals("x".repeat(40), e.getData().toStringUtf8());
      }
    }
  }

  @Test
  void aLeftoverSpareIsDeletedAtOpen() throws IOException {
    Path dir = root.resolve("leftover");
    try (Wal wal = Wal.open(dir, FileIo.SYSTEM, SEGMENT_BYTES, true, META)) {
      WalFixture.append(wal, 1, 3, 1);
    }
    Files.write(dir.resolve(SparePreallocator.SPARE_NAME), new byte[100]);
    try (Wal wal = Wal.open(dir, FileIo.SYSTEM, SEGMENT_BYTES, true, META)) {
      assertEquals(entries(1, 3, 1), replayed(wal));
    }
    assertFalse(Files.exists(dir.resolve(SparePreallocator.SPARE_NAME)));
  }
}

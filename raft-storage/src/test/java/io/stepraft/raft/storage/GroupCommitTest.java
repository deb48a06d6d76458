package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.entry;
import static io.stepraft.raft.storage.WalFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads saving synced records to one WAL, one group each: every call that returned is
 * durable (it survives a power cut that drops every unsynced write), and fewer fsyncs than calls
 * were issued, as one fsync covers every record written before it.
 */
@Timeout(60)
class GroupCommitTest {
  @TempDir Path root;

  @Test
  void concurrentSavesShareFsyncsAndEveryReturnedCallIsDurable() throws Exception {
    int threads = 8;
    int savesPerThread = 40;
    Path dir = root.resolve("wal");
    FaultyFileIo io = new FaultyFileIo().holdUnsyncedWrites();
    Wal wal = Wal.open(dir, io, 64 << 10, true, WalFixture.META);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long group = t + 1;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (long i = 1; i <= savesPerThread; i++) {
                  wal.save(
                      group, null, List.of(entry(i, 1, "g" + group + "-" + i)), state(1, i), true);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long calls = (long) threads * savesPerThread;
    long fsyncs = wal.syncCount();
    io.powerLoss(new Random(1));
    assertTrue(fsyncs < calls, fsyncs + " fsyncs for " + calls + " synced saves");
    try (Wal reopened = WalFixture.open(dir)) {
      for (long g = 1; g <= threads; g++) {
        GroupLog log = reopened.groups().get(g);
        assertEquals(savesPerThread, log.entriesAfter(0).size(), "group " + g);
        assertEquals(state(1, savesPerThread), log.hardState(), "group " + g);
      }
    }
  }
}

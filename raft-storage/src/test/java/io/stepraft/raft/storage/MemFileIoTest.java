package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulator's in-memory file system keeps its crash model. */
class MemFileIoTest {
  private final MemFileIo fs = new MemFileIo();
  private final Path dir = Path.of("/d");
  private final Path file = dir.resolve("f");

  private byte[] contents() throws IOException {
    try (LogFile f = fs.open(file, false)) {
      return f.readAll();
    }
  }

  private static ByteBuffer filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return ByteBuffer.wrap(b);
  }

  @Test
  void aCrashKeepsWhatWasSyncedAndLosesTheRest() throws IOException {
    fs.createDirectories(dir);
    LogFile f = fs.open(file, true);
    f.write(filled(100, 1), 0);
    f.force();
    f.write(filled(100, 2), 100);
    assertEquals(200, f.size());
    fs.crash(new SplittableRandom(1), false);
    byte[] after = contents();
    assertEquals(100, after.length);
    assertTrue(after[99] == 1);
  }

  @Test
  void aTornCrashKeepsAPrefixEndingAtASectorBoundary() throws IOException {
    fs.createDirectories(dir);
    for (long seed = 0; seed < 200; seed++) {
      fs.delete(file);
      LogFile f = fs.open(file, true);
      f.write(filled(4096, 0), 0);
      f.force();
      f.write(filled(1000, 7), 0);
      f.write(filled(1000, 8), 1000);
      fs.crash(new SplittableRandom(seed), true);
      byte[] after = contents();
      assertEquals(4096, after.length);
      int kept = 0;
      while (kept < 2000 && after[kept] != 0) {
        assertEquals(kept < 1000 ? 7 : 8, after[kept], "write order kept at byte " + kept);
        kept++;
      }
      for (int i = kept; i < after.length; i++) {
        assertEquals(0, after[i], "nothing after the kept prefix, byte " + i);
      }
      assertTrue(
          kept == 1000 || kept == 2000 || kept % SegmentReader.SECTOR_BYTES == 0,
          "a prefix ends at a whole write or a sector boundary: " + kept);
    }
  }

  @Test
  void flipBitDamagesOneBitOfWhatWasWritten() throws IOException {
    fs.createDirectories(dir);
    LogFile f = fs.open(file, true);
    f.write(filled(50, 3), 0);
    f.write(filled(50, 0), 50);
    f.force();
    byte[] before = contents();
    long at = fs.flipBit(file, new SplittableRandom(5));
    byte[] after = contents();
    assertTrue(at >= 0 && at < 50, "inside the non-zero bytes: " + at);
    assertEquals(1, Integer.bitCount((before[(int) at] ^ after[(int) at]) & 0xff));
    after[(int) at] = before[(int) at];
    assertArrayEquals(before, after);
  }

  @Test
  void theLockIsExclusiveUntilClosedOrACrash() throws IOException {
    Closeable lock = fs.lock(dir);
    assertThrows(StorageLockedException.class, () -> fs.lock(dir));
    lock.close();
    fs.lock(dir);
    fs.crash(new SplittableRandom(1), false);
    fs.lock(dir).close();
  }
}

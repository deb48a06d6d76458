package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.append;
import static io.stepraft.raft.storage.WalFixture.entries;
import static io.stepraft.raft.storage.WalFixture.open;
import static io.stepraft.raft.storage.WalFixture.replayed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.pb.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash while the last record was being written: the file cut at every byte of that record, the
 * record's sectors left unwritten, garbage after the end. Reopening repairs the tail to the last
 * whole record, keeps everything before it, and appends after it.
 */
class TornTailTest {
  @TempDir Path root;

  /** A WAL whose last record is entry 6 (a hard state record follows each entry). */
  private Path walWithSixEntries(String name) {
    Path dir = root.resolve(name);
    try (Wal wal = open(dir)) {
      append(wal, 1, 5, 1);
      wal.save(1, null, entries(6, 6, 1), null, true);
    }
    return dir;
  }

  @Test
  void cutAtEveryByteOfTheLastRecordRepairsToTheRecordBefore() throws IOException {
    Path template = walWithSixEntries("template");
    Path seg = WalFixture.lastSegment(template);
    List<SegmentReader.Decoded> recs = WalFixture.records(seg, null);
    int lastStart = (int) recs.get(recs.size() - 1).offset();
    int end = WalFixture.dataEnd(seg);
    byte[] bytes = Files.readAllBytes(seg);
    for (int cut = lastStart; cut < end; cut++) {
      Path dir = root.resolve("cut-" + cut);
      Files.createDirectories(dir);
      Files.write(dir.resolve(seg.getFileName()), java.util.Arrays.copyOf(bytes, cut));
      try (Wal wal = open(dir)) {
        assertEquals(entries(1, 5, 1), replayed(wal), "cut at " + cut);
        wal.save(1, null, entries(6, 7, 2), null, true);
      }
      try (Wal wal = open(dir)) {
        List<Entry> expected = new java.util.ArrayList<>(entries(1, 5, 1));
        expected.addAll(entries(6, 7, 2));
        assertEquals(expected, replayed(wal), "cut at " + cut + ", then appended");
      }
    }
  }

  @Test
  void zerosFromEveryByteOfTheLastRecordOnAreCut() throws IOException {
    Path template = walWithSixEntries("zero-template");
    Path seg = WalFixture.lastSegment(template);
    List<SegmentReader.Decoded> recs = WalFixture.records(seg, null);
    int lastStart = (int) recs.get(recs.size() - 1).offset();
    int end = WalFixture.dataEnd(seg);
    byte[] bytes = Files.readAllBytes(seg);
    for (int from = lastStart; from < end; from++) {
      Path dir = root.resolve("zero-" + from);
      Files.createDirectories(dir);
      byte[] torn = bytes.clone();
      java.util.Arrays.fill(torn, from, end, (byte) 0);
      Files.write(dir.resolve(seg.getFileName()), torn);
      try (Wal wal = open(dir)) {
        assertEquals(entries(1, 5, 1), replayed(wal), "zeros from " + from);
      }
    }
  }

  @Test
  void unwrittenSectorsOfTheLastWriteAreCut() throws IOException {
    Path dir = root.resolve("sectors");
    try (Wal wal = open(dir)) {
      append(wal, 1, 3, 1);
      wal.save(1, null, List.of(WalFixture.entry(4, 1, "y".repeat(1500))), null, true);
    }
    Path seg = WalFixture.lastSegment(dir);
    List<SegmentReader.Decoded> recs = WalFixture.records(seg, null);
    long lastStart = recs.get(recs.size() - 1).offset();
    long sector = (lastStart / 512 + 1) * 512;
    zero(seg, sector, 512);
    try (Wal wal = open(dir)) {
      assertEquals(entries(1, 3, 1), replayed(wal));
    }
  }

  @Test
  void garbageAfterTheLastRecordIsCut() throws IOException {
    Random random = new Random(7);
    for (int n : new int[] {1, 7, 8, 100, 700}) {
      Path dir = walWithSixEntries("garbage-" + n);
      Path seg = WalFixture.lastSegment(dir);
      byte[] garbage = new byte[n];
      random.nextBytes(garbage);
      garbage[0] |= 1;
      write(seg, WalFixture.dataEnd(seg), garbage);
      try (Wal wal = open(dir)) {
        assertEquals(entries(1, 6, 1), replayed(wal), n + " bytes of garbage");
      }
    }
  }

  static void zero(Path file, long at, int bytes) throws IOException {
    write(file, at, new byte[bytes]);
  }

  static void write(Path file, long at, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at);
    }
  }
}

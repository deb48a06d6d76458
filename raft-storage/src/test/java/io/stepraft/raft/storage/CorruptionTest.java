package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.append;
import static io.stepraft.raft.storage.WalFixture.entries;
import static io.stepraft.raft.storage.WalFixture.entry;
import static io.stepraft.raft.storage.WalFixture.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.stepraft.raft.storage.WalRecord.CrcRecord;
import io.stepraft.raft.storage.WalRecord.EntryRecord;
import io.stepraft.raft.storage.WalRecord.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage a crash does not explain is always reported, never repaired: a CorruptWalException naming
 * the file and the offset, and the files left as they were.
 */
class CorruptionTest {
  @TempDir Path root;

  @Test
  void everyBitOfASmallLogFlippedIsDetectedAtItsRecord() throws IOException {
    Path dir = root.resolve("small");
    try (Wal wal = open(dir)) {
      append(wal, 1, 3, 1);
    }
    Path seg = WalFixture.lastSegment(dir);
    byte[] original = Files.readAllBytes(seg);
    int end = WalFixture.dataEnd(seg);
    List<SegmentReader.Decoded> recs = WalFixture.records(seg, null);
    for (int bit = 0; bit < end * 8; bit++) {
      byte[] damaged = original.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(seg, damaged);
      long recordStart = startOf(recs, bit / 8);
      CorruptWalException e = expectCorrupt(dir, "bit " + bit);
      assertEquals(seg, e.file(), "bit " + bit);
      assertTrue(
          e.offset() == recordStart || e.offset() == nextStart(recs, bit / 8, end),
          "bit " + bit + " is in the record at " + recordStart + ": " + e.getMessage());
      assertTrue(Arrays.equals(damaged, Files.readAllBytes(seg)), "nothing was cut, bit " + bit);
    }
  }

  @Test
  void flippedBitsInTheMiddleOfAMultiSegmentLogAreDetected() throws IOException {
    Path dir = root.resolve("multi");
    try (Wal wal = open(dir)) {
      append(wal, 1, 120, 1);
    }
    List<Path> segs = WalFixture.segments(dir);
    assertTrue(segs.size() >= 3, "segments: " + segs);
    Random random = new Random(1);
    for (Path seg : segs.subList(0, segs.size() - 1)) {
      byte[] original = Files.readAllBytes(seg);
      int end = WalFixture.dataEnd(seg);
      for (int i = 0; i < 64; i++) {
        int bit = random.nextInt(end * 8);
        byte[] damaged = original.clone();
        damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        Files.write(seg, damaged);
        CorruptWalException e = expectCorrupt(dir, seg + " bit " + bit);
        assertTrue(e.getMessage().contains(seg.getFileName().toString()), e.getMessage());
        Files.write(seg, original);
      }
    }
    try (Wal wal = open(dir)) {
      assertEquals(entries(1, 120, 1), WalFixture.replayed(wal));
    }
  }

  @Test
  void aMissingMiddleSegmentIsNamed() throws IOException {
    Path dir = threeSegments("missing");
    Path second = WalFixture.segments(dir).get(1);
    Files.delete(second);
    CorruptWalException e = expectCorrupt(dir, "missing");
    assertTrue(e.getMessage().contains("segment 1 is missing"), e.getMessage());
  }

  @Test
  void aMissingFirstSegmentLeavesALogThatStartsAfterIndexOneWithoutASnapshot() throws IOException {
    Path data = root.resolve("first");
    try (DurableStorage ds =
        DurableStorage.open(data, StorageOptions.builder().segmentSizeBytes(4096).build())) {
      append(ds.wal(), 1, 120, 1);
    }
    Files.delete(WalFixture.segments(data.resolve("wal")).get(0));
    CorruptWalException e =
        assertThrows(
            CorruptWalException.class,
            () -> DurableStorage.open(data, StorageOptions.builder().build()));
    assertTrue(e.getMessage().contains("no snapshot to restart group 1 from"), e.getMessage());
  }

  @Test
  void aRenamedSegmentIsDetected() throws IOException {
    Path dir = threeSegments("renamed");
    Path last = WalFixture.lastSegment(dir);
    SegmentName name = SegmentName.parse(last.getFileName().toString());
    Files.move(last, dir.resolve(new SegmentName(name.seq(), name.firstIndex() + 1).fileName()));
    CorruptWalException e = expectCorrupt(dir, "renamed");
    assertTrue(e.getMessage().contains("renamed"), e.getMessage());
  }

  @Test
  void aSegmentReplacedByAnotherWithAValidChainOfItsOwnIsDetected() throws IOException {
    Path dir = threeSegments("replaced");
    Path other = threeSegments("other");
    Path target = WalFixture.segments(dir).get(1);
    Files.copy(
        WalFixture.segments(other).get(1),
        target,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    // Same names and contents: the chain holds. A segment from a different log breaks it.
    Path third = root.resolve("third");
    try (Wal wal = open(third)) {
      append(wal, 1, 120, 2);
    }
    Files.copy(
        WalFixture.segments(third).get(1),
        target,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CorruptWalException e = expectCorrupt(dir, "replaced");
    assertTrue(e.getMessage().contains("chain is broken"), e.getMessage());
  }

  @Test
  void metadataThatDiffersFromTheOptionsIsRefused() {
    Path data = root.resolve("meta");
    StorageOptions a = StorageOptions.builder().metadata(ByteString.copyFromUtf8("node-1")).build();
    StorageOptions b = StorageOptions.builder().metadata(ByteString.copyFromUtf8("node-2")).build();
    DurableStorage.open(data, a).close();
    CorruptWalException e =
        assertThrows(CorruptWalException.class, () -> DurableStorage.open(data, b));
    assertTrue(e.getMessage().contains("metadata mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("node-1") && e.getMessage().contains("node-2"));
    DurableStorage.open(data, StorageOptions.builder().build()).close();
  }

  @Test
  void anEntryIndexGapIsNamedWithItsOffset() throws IOException {
    Path dir = root.resolve("gap");
    Files.createDirectories(dir);
    SegmentName name = new SegmentName(0, 1);
    FrameWriter w = new FrameWriter();
    w.reset(0);
    w.add(new CrcRecord(0, 0, 1));
    w.add(new Metadata(WalFixture.META));
    w.add(new EntryRecord(1, entry(1, 1, "a")));
    w.add(new EntryRecord(1, entry(2, 1, "b")));
    int gapAt = w.size();
    w.add(new EntryRecord(1, entry(4, 1, "d")));
    byte[] bytes = new byte[w.size()];
    w.bytes().get(bytes);
    Files.write(dir.resolve(name.fileName()), bytes);
    CorruptWalException e = expectCorrupt(dir, "gap");
    assertEquals(gapAt, e.offset());
    assertTrue(e.getMessage().contains("entry index 4 of group 1 leaves a gap after index 2"));
  }

  @Test
  void theWriterRefusesAGapBeforeWritingIt() {
    Path dir = root.resolve("refuse");
    try (Wal wal = open(dir)) {
      append(wal, 1, 3, 1);
      assertThrows(
          IllegalArgumentException.class, () -> wal.save(1, null, entries(5, 6, 1), null, true));
      assertThrows(
          IllegalArgumentException.class,
          () -> wal.save(1, null, List.of(entry(4, 1, "a"), entry(6, 1, "b")), null, true));
    }
    try (Wal wal = open(dir)) {
      assertEquals(entries(1, 3, 1), WalFixture.replayed(wal));
    }
  }

  private Path threeSegments(String name) {
    Path dir = root.resolve(name);
    try (Wal wal = open(dir)) {
      append(wal, 1, 120, 1);
      assertTrue(wal.segmentNames().size() >= 3);
    }
    return dir;
  }

  private static CorruptWalException expectCorrupt(Path dir, String what) {
    try (Wal wal = open(dir)) {
      fail(
          what
              + ": opened without error, replaying "
              + WalFixture.replayed(wal).size()
              + " entries");
      return null;
    } catch (CorruptWalException e) {
      return e;
    }
  }

  private static long startOf(List<SegmentReader.Decoded> recs, int byteOffset) {
    long start = 0;
    for (SegmentReader.Decoded d : recs) {
      if (d.offset() <= byteOffset) {
        start = d.offset();
      }
    }
    return start;
  }

  private static long nextStart(List<SegmentReader.Decoded> recs, int byteOffset, int end) {
    for (SegmentReader.Decoded d : recs) {
      if (d.offset() > byteOffset) {
        return d.offset();
      }
    }
    return end;
  }
}

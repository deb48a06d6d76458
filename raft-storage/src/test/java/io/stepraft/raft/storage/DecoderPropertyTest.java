package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.storage.WalRecord.CrcRecord;
import io.stepraft.raft.storage.WalRecord.EntryRecord;
import io.stepraft.raft.storage.WalRecord.Metadata;
import io.stepraft.raft.storage.WalRecord.StateRecord;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The segment decoder on arbitrary input: a clean read or a CorruptWalException, nothing else (no
 * index error, no protobuf exception, no hang); and on a valid segment damaged anywhere, a clean
 * read never yields a record the segment did not hold.
 */
class DecoderPropertyTest {
  private static final Path FILE = Path.of("property.wal");

  @Property(tries = 3000)
  void arbitraryBytesReadCleanlyOrFailWithCorruptWal(
      @ForAll @Size(max = 600) byte[] bytes, @ForAll boolean last, @ForAll boolean seeded) {
    readOrCorrupt(bytes, seeded ? 0 : null, last);
  }

  @Property(tries = 3000)
  void aDamagedValidSegmentNeverYieldsARecordItDidNotHold(
      @ForAll("segments") byte[] valid,
      @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(max = 4) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 64) int zeroTail,
      @ForAll boolean last) {
    List<SegmentReader.Decoded> original = SegmentReader.read(FILE, valid, null, true).records();
    byte[] damaged = java.util.Arrays.copyOf(valid, valid.length + zeroTail);
    for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
      int at = positions.get(i) % damaged.length;
      damaged[at] = values.get(i);
    }
    SegmentReader.Result r = readOrCorrupt(damaged, null, last);
    if (r != null) {
      List<SegmentReader.Decoded> got = r.records();
      assertTrue(got.size() <= original.size(), "no record invented");
      assertEquals(original.subList(0, got.size()), got);
    }
  }

  private static SegmentReader.Result readOrCorrupt(byte[] bytes, Integer seed, boolean last) {
    try {
      SegmentReader.Result r = SegmentReader.read(FILE, bytes, seed, last);
      assertTrue(r.endOffset() >= 0 && r.endOffset() <= bytes.length);
      long previous = -1;
      for (SegmentReader.Decoded d : r.records()) {
        assertTrue(d.offset() > previous && d.offset() < r.endOffset());
        previous = d.offset();
      }
      return r;
    } catch (CorruptWalException e) {
      assertTrue(e.offset() >= -1 && e.offset() <= bytes.length, e.getMessage());
      assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
      return null;
    }
  }

  @Provide
  Arbitrary<byte[]> segments() {
    return Arbitraries.strings()
        .ofMaxLength(120)
        .list()
        .ofMaxSize(12)
        .map(
            datas -> {
              FrameWriter w = new FrameWriter();
              w.reset(0);
              w.add(new CrcRecord(0, 0, 1));
              w.add(new Metadata(WalFixture.META));
              long index = 1;
              for (String d : datas) {
                w.add(new EntryRecord(1, WalFixture.entry(index, 1, d)));
                w.add(
                    new StateRecord(1, HardState.newBuilder().setTerm(1).setCommit(index).build()));
                index++;
              }
              byte[] out = new byte[w.size()];
              w.bytes().get(out);
              return out;
            });
  }
}

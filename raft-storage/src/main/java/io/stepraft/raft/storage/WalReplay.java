package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.storage.SegmentReader.Decoded;
import io.stepraft.raft.storage.SegmentReader.TornTail;
import io.stepraft.raft.storage.WalRecord.CrcRecord;
import io.stepraft.raft.storage.WalRecord.EntryRecord;
import io.stepraft.raft.storage.WalRecord.Metadata;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import io.stepraft.raft.storage.WalRecord.StateRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every segment in order, checks the chain, the names and the metadata, builds each group's
 * {@link GroupLog}, and cuts a torn tail of the last segment (zeroing it, then an fsync).
 */
final class WalReplay {
  private static final Logger LOG = LoggerFactory.getLogger(WalReplay.class);

  /** A segment as replay found it. */
  record SegmentState(SegmentName name, Path path, Map<Long, Long> firstIndexByGroup) {}

  private final List<SegmentState> segments = new ArrayList<>();
  private final Map<Long, GroupLog> groups = new TreeMap<>();
  private final Map<Long, Long> latestSnapshotSeq = new HashMap<>();
  private ByteString metadata;
  private long endOffset;
  private long headerEnd;
  private int lastCrc;

  private WalReplay() {}

  static WalReplay run(Path dir, FileIo io, List<SegmentName> names, ByteString expectedMetadata)
      throws IOException {
    WalReplay r = new WalReplay();
    Integer seed = null;
    for (int i = 0; i < names.size(); i++) {
      SegmentName name = names.get(i);
      Path path = dir.resolve(name.fileName());
      boolean last = i == names.size() - 1;
      byte[] data;
      try (LogFile f = io.open(path, false)) {
        data = f.readAll();
      }
      SegmentReader.Result result = SegmentReader.read(path, data, seed, last);
      r.segment(path, name, result, expectedMetadata, i == 0);
      seed = result.lastCrc();
      if (last) {
        r.endOffset = result.endOffset();
        r.lastCrc = result.lastCrc();
        if (result.torn() != null) {
          cut(io, path, result.torn());
        }
      }
    }
    return r;
  }

  private void segment(
      Path path,
      SegmentName name,
      SegmentReader.Result result,
      ByteString expected,
      boolean first) {
    CrcRecord c = SegmentReader.crcRecord(path, result);
    if (c.seq() != name.seq() || c.firstIndex() != name.firstIndex()) {
      throw new CorruptWalException(
          path,
          0,
          "the segment was renamed: its crc record says sequence "
              + c.seq()
              + ", first index "
              + c.firstIndex()
              + " ("
              + new SegmentName(c.seq(), c.firstIndex()).fileName()
              + ")");
    }
    List<Decoded> records = result.records();
    if (records.size() < 2 || !(records.get(1).record() instanceof Metadata m)) {
      throw new CorruptWalException(
          path,
          records.size() < 2 ? -1 : records.get(1).offset(),
          "no metadata record follows the crc record");
    }
    long metaOffset = records.get(1).offset();
    if (metadata == null) {
      metadata = m.data();
      if (!expected.isEmpty() && !expected.equals(metadata)) {
        throw new CorruptWalException(
            path,
            metaOffset,
            "metadata mismatch: the WAL was created with "
                + describe(metadata)
                + ", the options give "
                + describe(expected));
      }
    } else if (!metadata.equals(m.data())) {
      throw new CorruptWalException(
          path,
          metaOffset,
          "metadata differs from the first segment's: "
              + describe(m.data())
              + " vs "
              + describe(metadata));
    }
    Map<Long, Long> firstIndexByGroup = new HashMap<>();
    if (!first) {
      for (GroupLog g : groups.values()) {
        firstIndexByGroup.put(g.groupId, g.lastIndex() + 1);
      }
    }
    segments.add(new SegmentState(name, path, firstIndexByGroup));
    headerEnd = records.size() > 2 ? records.get(2).offset() : result.endOffset();
    boolean inHeader = true;
    for (int i = 2; i < records.size(); i++) {
      Decoded d = records.get(i);
      if (inHeader && !(d.record() instanceof StateRecord)) {
        inHeader = false;
        headerEnd = d.offset();
      }
      apply(path, name.seq(), d);
    }
    if (inHeader) {
      headerEnd = result.endOffset();
    }
  }

  private void apply(Path path, long seq, Decoded d) {
    WalRecord rec = d.record();
    if (rec instanceof EntryRecord e) {
      group(e.groupId()).entry(e.entry(), path, d.offset());
    } else if (rec instanceof StateRecord s) {
      group(s.groupId()).state(s.hardState());
    } else if (rec instanceof SnapshotRecord s) {
      group(s.groupId()).snapshot(s);
      latestSnapshotSeq.put(s.groupId(), seq);
    } else {
      throw new CorruptWalException(
          path, d.offset(), "a " + rec.type() + " record in the middle of a segment");
    }
  }

  private GroupLog group(long id) {
    return groups.computeIfAbsent(id, GroupLog::new);
  }

  private static void cut(FileIo io, Path path, TornTail torn) throws IOException {
    LOG.warn(
        "WAL {}: torn tail at offset {} ({}); cutting {} bytes there, up to offset {}",
        path,
        torn.offset(),
        torn.reason(),
        torn.damagedEnd() - torn.offset(),
        torn.damagedEnd());
    try (LogFile f = io.open(path, false)) {
      ByteBuffer zeros = ByteBuffer.allocate(torn.damagedEnd() - torn.offset());
      f.write(zeros, torn.offset());
      f.force();
    }
  }

  private static String describe(ByteString b) {
    String hex = b.size() > 16 ? b.substring(0, 16).toStringUtf8() + "..." : b.toStringUtf8();
    return b.size() + " bytes \"" + hex + "\"";
  }

  List<SegmentState> segments() {
    return segments;
  }

  Map<Long, GroupLog> groups() {
    return groups;
  }

  Map<Long, Long> latestSnapshotSeq() {
    return latestSnapshotSeq;
  }

  ByteString metadata() {
    return metadata;
  }

  long endOffset() {
    return endOffset;
  }

  long headerEnd() {
    return headerEnd;
  }

  int lastCrc() {
    return lastCrc;
  }
}

package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for tests that drive the WAL directly. */
final class WalFixture {
  static final ByteString META = ByteString.copyFromUtf8("node-1");
  static final long SEGMENT_BYTES = 4096;

  private WalFixture() {}

  static Wal open(Path dir) {
    return open(dir, FileIo.SYSTEM);
  }

  static Wal open(Path dir, FileIo io) {
    return Wal.open(dir, io, SEGMENT_BYTES, true, META);
  }

  static Entry entry(long index, long term, String data) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  static List<Entry> entries(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term, "e" + i + "-t" + term));
    }
    return out;
  }

  static HardState state(long term, long commit) {
    return HardState.newBuilder().setTerm(term).setVote(1).setCommit(commit).build();
  }

  /** Saves entries {@code [from, to]} one by one, each with a hard state, synced. */
  static void append(Wal wal, long from, long to, long term) {
    for (Entry e : entries(from, to, term)) {
      wal.save(1, null, List.of(e), state(term, e.getIndex() - 1), true);
    }
  }

  /** The entries group 1 replays to, in order. */
  static List<Entry> replayed(Wal wal) {
    GroupLog g = wal.groups().get(1L);
    return g == null ? List.of() : g.entriesAfter(0);
  }

  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
    }
  }

  static Path lastSegment(Path dir) throws IOException {
    List<Path> s = segments(dir);
    return s.get(s.size() - 1);
  }

  /** The records of a segment with their offsets, read as the last segment. */
  static List<SegmentReader.Decoded> records(Path segment, Integer seed) throws IOException {
    return SegmentReader.read(segment, Files.readAllBytes(segment), seed, true).records();
  }

  /** One past the last byte of the last record of a segment. */
  static int dataEnd(Path segment) throws IOException {
    return SegmentReader.read(segment, Files.readAllBytes(segment), null, true).endOffset();
  }
}

package io.stepraft.raft.paper;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs written the way the paper draws them: a list of terms, one per index starting at 1. The
 * entry at index 1 lives in a snapshot (which also carries the configuration); the others are
 * normal entries whose data names their index and term, so that two entries with the same index and
 * term are equal, as the Log Matching Property demands.
 */
final class Logs {
  private Logs() {}

  /** A normal entry whose data is "index/term". */
  static Entry entry(long index, long term) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFromUtf8(index + "/" + term))
        .build();
  }

  /** Like {@link #storage(int, long, long...)} with the hard state at the log's largest term. */
  static MemoryStorage atLastTerm(int voters, long[] termsByIndex) {
    long max = 0;
    for (long t : termsByIndex) {
      max = Math.max(max, t);
    }
    return storage(voters, max, termsByIndex);
  }

  /**
   * A storage for a member of voters 1..{@code voters} holding a log with these terms (index 1
   * first), a hard state at {@code term}, no vote, and commit index 1.
   */
  static MemoryStorage storage(int voters, long term, long... termsByIndex) {
    if (termsByIndex.length == 0 || term < termsByIndex[termsByIndex.length - 1]) {
      throw new IllegalArgumentException(
          "need at least index 1 and term >= the last entry's term, got term " + term);
    }
    ConfState.Builder cs = ConfState.newBuilder();
    for (long id = 1; id <= voters; id++) {
      cs.addVoters(id);
    }
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(1).setTerm(termsByIndex[0]).setConfState(cs))
            .build());
    List<Entry> ents = new ArrayList<>();
    for (int i = 1; i < termsByIndex.length; i++) {
      ents.add(entry(i + 1, termsByIndex[i]));
    }
    s.append(ents);
    s.setHardState(HardState.newBuilder().setTerm(term).setCommit(1).build());
    return s;
  }

  /** The terms of the log in {@code s}, index 1 (or the snapshot's index) first. */
  static List<Long> terms(MemoryStorage s) {
    List<Long> out = new ArrayList<>();
    for (long i = s.firstIndex() - 1; i <= s.lastIndex(); i++) {
      out.add(s.term(i));
    }
    return out;
  }

  /** Every entry held in {@code s} after its snapshot. */
  static List<Entry> entries(MemoryStorage s) {
    if (s.lastIndex() < s.firstIndex()) {
      return List.of();
    }
    return s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE);
  }

  /** Boxes terms for comparison with {@link #terms}. */
  static List<Long> list(long... terms) {
    List<Long> out = new ArrayList<>();
    for (long t : terms) {
      out.add(t);
    }
    return out;
  }
}

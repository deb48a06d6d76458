package io.stepraft.raft.paper;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.Storages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Logs written the way the paper draws them: a list of terms, one per index starting at 1. The
 * entry at index 1 lives in a snapshot (which also carries the configuration); the others are
 * {@linkplain Entries#labeled labeled} normal entries, so that two entries with the same index and
 * term are equal, as the Log Matching Property demands.
 */
final class Logs {
  private Logs() {}

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
    return Storages.withEntries(
        Snapshots.snapshot(
            1, termsByIndex[0], ConfStates.voters(LongStream.rangeClosed(1, voters).toArray())),
        Entries.withTerms(2, Arrays.copyOfRange(termsByIndex, 1, termsByIndex.length)),
        Storages.hardState(term, 0, 1));
  }

  /** The terms of the log in {@code s}, index 1 (or the snapshot's index) first. */
  static List<Long> terms(MemoryStorage s) {
    List<Long> out = new ArrayList<>();
    for (long i = s.firstIndex() - 1; i <= s.lastIndex(); i++) {
      out.add(s.term(i));
    }
    return out;
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

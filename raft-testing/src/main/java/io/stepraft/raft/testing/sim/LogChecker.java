package io.stepraft.raft.testing.sim;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log matching and leader completeness, on the logs the hosts write.
 *
 * <p>Log matching is checked entry by entry: the first write of {@code (index, term)} anywhere
 * fixes the entry's data and the term of the entry before it; every later write of the same pair
 * must agree. By induction on the index, equal {@code (index, term)} then implies equal prefixes.
 *
 * <p>Leader completeness: when a node becomes leader of term {@code T}, its log must hold every
 * applied entry up to the highest index known to be committed in a term before {@code T}.
 */
final class LogChecker {
  private record Key(long index, long term) {}

  private record Written(long hash, long prevTerm, long node) {}

  private final Checks checks;
  private final History history;
  private final CommitFrontier frontier = new CommitFrontier();
  private final Map<Key, Written> written = new HashMap<>();

  LogChecker(Checks checks, History history) {
    this.checks = checks;
    this.history = history;
  }

  /** {@code node} wrote {@code entries} to {@code storage} (already appended). */
  void onWritten(long node, MemoryStorage storage, List<Entry> entries) {
    long first = storage.firstIndex();
    long prevTerm = -1;
    for (Entry e : entries) {
      long index = e.getIndex();
      if (index < first) {
        continue;
      }
      long pt = prevTerm >= 0 ? prevTerm : storage.term(index - 1);
      prevTerm = e.getTerm();
      Written w = new Written(Digests.entry(e), pt, node);
      Written prev = written.putIfAbsent(new Key(index, e.getTerm()), w);
      if (prev != null && (prev.hash != w.hash || prev.prevTerm != w.prevTerm)) {
        checks.fail(
            Check.LOG_MATCHING,
            "node "
                + node
                + " wrote (index "
                + index
                + ", term "
                + e.getTerm()
                + ") "
                + (prev.hash != w.hash
                    ? "with other data"
                    : "after term " + pt + " instead of " + prev.prevTerm)
                + " than node "
                + prev.node);
      }
    }
  }

  /** A node at {@code term} reported commit index {@code commit}. */
  void onCommitReport(long term, long commit) {
    frontier.report(term, commit);
  }

  /** {@code node} became leader of {@code term}; {@code storage} holds its whole log. */
  void onLeader(long node, long term, MemoryStorage storage) {
    long hi = Math.min(frontier.committedBefore(term), history.size());
    long last = storage.lastIndex();
    for (long i = Math.max(1, storage.firstIndex()); i <= hi; i++) {
      long t = i <= last ? storage.term(i) : -1;
      if (t != history.term(i)) {
        checks.fail(
            Check.LEADER_COMPLETENESS,
            "node "
                + node
                + " became leader of term "
                + term
                + " without entry "
                + i
                + " (term "
                + history.term(i)
                + ", committed before term "
                + term
                + "); its log has "
                + (t < 0 ? "nothing" : "term " + t)
                + " there, last index "
                + last);
        return;
      }
    }
  }
}

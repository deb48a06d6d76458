package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the guarantees of Figure 3 on a cluster between steps of a run: Election Safety, Leader
 * Append-Only, Log Matching, Leader Completeness and State Machine Safety.
 */
final class Figure3Checker {
  private final StepCluster c;
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<Long, List<Entry>> leaderLogOfTerm = new HashMap<>();

  Figure3Checker(StepCluster c) {
    this.c = c;
  }

  void check() {
    long maxTerm = 0;
    for (StepNode n : c.nodes().values()) {
      maxTerm = Math.max(maxTerm, n.term());
    }
    for (StepNode n : c.nodes().values()) {
      if (n.role() == Role.LEADER) {
        checkLeader(n, maxTerm);
      }
    }
    LogAssertions.assertLogsAgree(c);
  }

  private void checkLeader(StepNode n, long maxTerm) {
    long term = n.term();
    // Election Safety: at most one leader can be elected in a given term.
    Long earlier = leaderOfTerm.putIfAbsent(term, n.id());
    if (earlier != null && earlier != n.id()) {
      throw new AssertionError(
          "Election Safety: nodes " + earlier + " and " + n.id() + " both led term " + term);
    }
    // Leader Append-Only: a leader never overwrites or deletes entries in its log.
    List<Entry> log = n.log();
    List<Entry> before = leaderLogOfTerm.put(term, log);
    if (before != null) {
      if (!isPrefix(before, log)) {
        throw new AssertionError(
            "Leader Append-Only: leader " + n.id() + " of term " + term + " rewrote its log");
      }
    }
    // Leader Completeness: terms only grow and are durable, so no node has led a term above the
    // largest current term; a leader of that term holds every entry committed so far.
    if (term == maxTerm) {
      for (StepNode other : c.nodes().values()) {
        for (Entry e : other.applied()) {
          Entry held = entryAt(log, e.getIndex());
          if (held == null || !same(e, held)) {
            assertEquals(
                e,
                held,
                "Leader Completeness: leader "
                    + n.id()
                    + " of term "
                    + term
                    + " lacks entry "
                    + e.getIndex()
                    + " applied by "
                    + other.id());
          }
        }
      }
    }
  }

  private static Entry entryAt(List<Entry> log, long index) {
    if (log.isEmpty()) {
      return null;
    }
    long offset = index - log.get(0).getIndex();
    return offset < 0 || offset >= log.size() ? null : log.get((int) offset);
  }

  private static boolean isPrefix(List<Entry> prefix, List<Entry> log) {
    if (prefix.size() > log.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!same(prefix.get(i), log.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Entry equality on the fields raft sets, cheaper than the reflective {@code equals}. */
  private static boolean same(Entry a, Entry b) {
    return a.getIndex() == b.getIndex()
        && a.getTerm() == b.getTerm()
        && a.getType() == b.getType()
        && a.getData().equals(b.getData());
  }
}

package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;

/** Whole-cluster checks of the guarantees of Figure 3, for the end of scenario tests. */
final class Safety {
  private Safety() {}

  /**
   * State Machine Safety (§5.4.3): no two servers apply different entries at the same index, so
   * every node's applied sequence is a prefix of every longer one.
   */
  static void assertAppliedPrefixes(StepCluster c) {
    for (StepNode a : c.nodes().values()) {
      for (StepNode b : c.nodes().values()) {
        if (a.id() < b.id()) {
          assertPrefix(a.applied(), b.applied(), "applied of " + a.id() + " and " + b.id());
        }
      }
    }
  }

  private static void assertPrefix(List<Entry> x, List<Entry> y, String what) {
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      if (!same(x.get(i), y.get(i))) {
        assertEquals(x.get(i), y.get(i), what + " differ at position " + i);
      }
    }
  }

  /**
   * Log Matching (§5.3): if two logs hold an entry with the same index and term, the logs are
   * identical in all entries up through that index.
   */
  static void assertLogsMatch(StepCluster c) {
    for (StepNode a : c.nodes().values()) {
      for (StepNode b : c.nodes().values()) {
        if (a.id() < b.id()) {
          assertLogsMatch(a.storage(), b.storage(), "logs of " + a.id() + " and " + b.id());
        }
      }
    }
  }

  static void assertLogsMatch(MemoryStorage a, MemoryStorage b, String what) {
    List<Entry> x = Logs.entries(a);
    List<Entry> y = Logs.entries(b);
    if (x.isEmpty() || y.isEmpty() || x.get(0).getIndex() != y.get(0).getIndex()) {
      return; // a test that compacts logs compares them itself
    }
    int n = Math.min(x.size(), y.size());
    int lastMatch = -1;
    for (int i = n - 1; i >= 0; i--) {
      if (x.get(i).getTerm() == y.get(i).getTerm()) {
        lastMatch = i;
        break;
      }
    }
    for (int i = 0; i <= lastMatch; i++) {
      if (!same(x.get(i), y.get(i))) {
        fail(
            what
                + " share (index "
                + x.get(lastMatch).getIndex()
                + ", term "
                + x.get(lastMatch).getTerm()
                + ") but differ at index "
                + x.get(i).getIndex());
      }
    }
  }

  /** Entry equality on the fields raft sets, cheaper than the reflective {@code equals}. */
  static boolean same(Entry a, Entry b) {
    return a.getIndex() == b.getIndex()
        && a.getTerm() == b.getTerm()
        && a.getType() == b.getType()
        && a.getData().equals(b.getData());
  }
}

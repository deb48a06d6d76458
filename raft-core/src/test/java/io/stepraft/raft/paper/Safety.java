package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.testing.Cluster;
import io.stepraft.raft.testing.TestNode;
import java.util.List;

/** Whole-cluster checks of the guarantees of Figure 3, for the end of scenario tests. */
final class Safety {
  private Safety() {}

  /**
   * State Machine Safety (§5.4.3): no two servers apply different entries at the same index, so
   * every node's applied sequence is a prefix of every longer one.
   */
  static void assertAppliedPrefixes(Cluster c) {
    for (TestNode a : c.nodes().values()) {
      for (TestNode b : c.nodes().values()) {
        if (a.id() < b.id()) {
          assertPrefix(a.applied(), b.applied(), "applied of " + a.id() + " and " + b.id());
        }
      }
    }
  }

  private static void assertPrefix(List<Entry> x, List<Entry> y, String what) {
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      assertEquals(x.get(i), y.get(i), what + " differ at position " + i);
    }
  }

  /**
   * Log Matching (§5.3): if two logs hold an entry with the same index and term, the logs are
   * identical in all entries up through that index.
   */
  static void assertLogsMatch(Cluster c) {
    for (TestNode a : c.nodes().values()) {
      for (TestNode b : c.nodes().values()) {
        if (a.id() < b.id()) {
          assertLogsMatch(a.storage(), b.storage(), "logs of " + a.id() + " and " + b.id());
        }
      }
    }
  }

  static void assertLogsMatch(MemoryStorage a, MemoryStorage b, String what) {
    long lo = Math.max(a.firstIndex(), b.firstIndex());
    long hi = Math.min(a.lastIndex(), b.lastIndex());
    long lastMatch = 0;
    for (long i = hi; i >= lo; i--) {
      if (a.term(i) == b.term(i)) {
        lastMatch = i;
        break;
      }
    }
    for (long i = lo; i <= lastMatch; i++) {
      Entry x = a.entries(i, i + 1, Long.MAX_VALUE).get(0);
      Entry y = b.entries(i, i + 1, Long.MAX_VALUE).get(0);
      if (!x.equals(y)) {
        fail(what + " share (index " + lastMatch + ", term " + a.term(lastMatch) + ") but differ at index " + i);
      }
    }
  }
}

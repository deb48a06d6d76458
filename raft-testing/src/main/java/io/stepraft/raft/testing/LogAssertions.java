package io.stepraft.raft.testing;

import io.stepraft.raft.pb.Entry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the nodes of a cluster agree on the log: the safety guarantees of the Raft paper's Figure
 * 3 that hold at every moment ({@link #assertLogsAgree}), and the identical logs of a cluster that
 * has settled ({@link #assertLogsEqual}). Entries are compared on the fields raft sets: index,
 * term, type and data.
 */
public final class LogAssertions {
  private LogAssertions() {}

  /**
   * Asserts what must hold between any two nodes at any moment, whatever was lost or cut: for every
   * pair of nodes,
   *
   * <ul>
   *   <li>Log Matching (§5.3): where their stored logs hold an entry with the same index and term,
   *       they hold the same entries up through that index;
   *   <li>their stored logs hold the same entries up to the smaller of their durable commit
   *       indexes: a committed entry is never replaced;
   *   <li>State Machine Safety (§5.4.3): they applied the same entry at every index both applied.
   * </ul>
   *
   * Logs are compared where both hold entries, after either's snapshot.
   *
   * @param cluster the cluster; its nodes should have handled their Readies
   * @throws AssertionError naming the two nodes and the index where they disagree
   */
  public static void assertLogsAgree(StepCluster cluster) {
    assertLogsAgree(cluster.nodes().values());
  }

  /**
   * {@link #assertLogsAgree(StepCluster)} over any nodes.
   *
   * @param nodes the nodes to compare pairwise
   * @throws AssertionError naming the two nodes and the index where they disagree
   */
  public static void assertLogsAgree(Collection<StepNode> nodes) {
    List<StepNode> list = new ArrayList<>(nodes);
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        assertPairAgrees(list.get(i), list.get(j));
      }
    }
  }

  /**
   * Asserts that every node holds the same stored log, entry for entry, from the same first index:
   * for a cluster that has settled, every node caught up.
   *
   * @param cluster the cluster
   * @throws AssertionError naming the first node whose log differs from the first node's
   */
  public static void assertLogsEqual(StepCluster cluster) {
    StepNode first = null;
    String expected = null;
    for (StepNode n : cluster.nodes().values()) {
      String described = describe(n.log());
      if (first == null) {
        first = n;
        expected = described;
      } else if (!expected.equals(described)) {
        throw new AssertionError(
            "log of node "
                + n.id()
                + " differs from node "
                + first.id()
                + "\nnode "
                + first.id()
                + ":\n"
                + expected
                + "node "
                + n.id()
                + ":\n"
                + described);
      }
    }
  }

  private static void assertPairAgrees(StepNode a, StepNode b) {
    String pair = "nodes " + a.id() + " and " + b.id();
    List<Entry> x = a.log();
    List<Entry> y = b.log();
    if (!x.isEmpty() && !y.isEmpty()) {
      long from = Math.max(x.get(0).getIndex(), y.get(0).getIndex());
      long to =
          Math.min(x.get(x.size() - 1).getIndex(), y.get(y.size() - 1).getIndex()); // inclusive
      long lastMatch = from - 1;
      for (long i = to; i >= from; i--) {
        if (at(x, i).getTerm() == at(y, i).getTerm()) {
          lastMatch = i;
          break;
        }
      }
      long committed =
          Math.min(
              Math.min(a.storage().hardState().getCommit(), b.storage().hardState().getCommit()),
              to);
      long mustAgree = Math.max(lastMatch, committed);
      for (long i = from; i <= mustAgree; i++) {
        if (!same(at(x, i), at(y, i))) {
          throw new AssertionError(
              pair
                  + (i <= committed ? " both committed index " + committed : "")
                  + (i <= lastMatch
                      ? " share (index " + lastMatch + ", term " + at(x, lastMatch).getTerm() + ")"
                      : "")
                  + " but differ at index "
                  + i
                  + ": "
                  + describe(at(x, i))
                  + " vs "
                  + describe(at(y, i)));
        }
      }
    }
    Map<Long, Entry> appliedByA = new HashMap<>();
    for (Entry e : a.applied()) {
      appliedByA.put(e.getIndex(), e);
    }
    for (Entry e : b.applied()) {
      Entry other = appliedByA.get(e.getIndex());
      if (other != null && !same(other, e)) {
        throw new AssertionError(
            pair
                + " applied different entries at index "
                + e.getIndex()
                + ": "
                + describe(other)
                + " vs "
                + describe(e));
      }
    }
  }

  private static Entry at(List<Entry> log, long index) {
    return log.get((int) (index - log.get(0).getIndex()));
  }

  private static boolean same(Entry a, Entry b) {
    return a.getIndex() == b.getIndex()
        && a.getTerm() == b.getTerm()
        && a.getType() == b.getType()
        && a.getData().equals(b.getData());
  }

  private static String describe(Entry e) {
    return e.getIndex() + "/" + e.getTerm() + " " + e.getType() + " " + e.getData().toStringUtf8();
  }

  private static String describe(List<Entry> log) {
    StringBuilder sb = new StringBuilder();
    for (Entry e : log) {
      sb.append(describe(e)).append('\n');
    }
    return sb.toString();
  }
}

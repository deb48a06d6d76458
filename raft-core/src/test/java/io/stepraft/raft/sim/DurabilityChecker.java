package io.stepraft.raft.sim;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import java.util.List;

/**
 * Durability of acknowledged writes (applied somewhere, see {@link History}), judged on what the
 * disks hold durably, so that it covers every crash the model allows:
 *
 * <ul>
 *   <li>when an entry is acknowledged, the nodes whose disks hold it durably must be a blocking
 *       set of the latest configuration: the nodes without it must not form a quorum, or
 *       crashing them all would lose it;
 *   <li>no disk ever durably overwrites an acknowledged entry it held;
 *   <li>at the end of a run the leader's log holds every acknowledged entry.
 * </ul>
 *
 * <p>It also watches the disks for the vote and commit checks.
 */
final class DurabilityChecker implements SimDisk.Observer {
  private final Checks checks;
  private final History history;
  private final ElectionChecker elections;
  private SimNode[] nodes;
  /** The bootstrap entries: every initial member writes them itself before the cluster starts. */
  private long bootstrapLast;

  DurabilityChecker(Checks checks, History history, ElectionChecker elections) {
    this.checks = checks;
    this.history = history;
    this.elections = elections;
  }

  void setNodes(SimNode[] nodes, long bootstrapLast) {
    this.nodes = nodes;
    this.bootstrapLast = bootstrapLast;
  }

  /** The entry at {@code index} was acknowledged: applied for the first time anywhere. */
  void onAck(long index, long term) {
    ConfState cs = history.latestConfig();
    if (cs == null || index <= bootstrapLast) {
      return;
    }
    StringBuilder without = new StringBuilder();
    long missing = 0;
    for (int id = 1; id < nodes.length; id++) {
      if (!nodes[id].disk.holds(index, term)) {
        missing |= 1L << id;
        without.append(' ').append(id);
      }
    }
    if (isQuorum(cs.getVotersList(), missing)
        && (cs.getVotersOutgoingCount() == 0 || isQuorum(cs.getVotersOutgoingList(), missing))) {
      checks.fail(Check.DURABILITY, "entry (index " + index + ", term " + term + ") was acknowledged but the nodes"
          + without + " lack it durably, a quorum of " + cs.getVotersList()
          + (cs.getVotersOutgoingCount() == 0 ? "" : " & " + cs.getVotersOutgoingList()));
    }
  }

  private static boolean isQuorum(List<Long> voters, long members) {
    int n = 0;
    for (long v : voters) {
      if ((members & (1L << v)) != 0) {
        n++;
      }
    }
    return n > voters.size() / 2;
  }

  @Override
  public void beforeDurableEntry(long node, MemoryStorage durable, Entry e) {
    long index = e.getIndex();
    if (index > history.size() || index > durable.lastIndex() || index < durable.firstIndex()) {
      return;
    }
    long acked = history.term(index);
    if (durable.term(index) == acked && e.getTerm() != acked) {
      checks.fail(Check.DURABILITY, "node " + node + " durably overwrote acknowledged entry (index " + index
          + ", term " + acked + ") with term " + e.getTerm());
    }
  }

  @Override
  public void onDurableHardState(long node, HardState prev, HardState hs) {
    elections.onDurable(node, hs);
    if (hs.getTerm() < prev.getTerm()) {
      checks.fail(Check.SINGLE_VOTE, "node " + node + " synced term " + hs.getTerm() + " after term " + prev.getTerm());
    }
  }

  /** At the end of a run: the leader's log holds every acknowledged entry. */
  void checkFinal(SimNode leader) {
    MemoryStorage s = leader.storage;
    long last = s.lastIndex();
    for (long i = s.firstIndex(); i <= history.size(); i++) {
      long t = i <= last ? s.term(i) : -1;
      if (t != history.term(i)) {
        checks.fail(Check.DURABILITY, "acknowledged entry (index " + i + ", term " + history.term(i)
            + ") is missing from the final leader " + leader.id + "'s log (term there: " + t + ")");
        return;
      }
    }
  }
}

package io.stepraft.raft.testing.sim;

import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import java.util.List;

/**
 * Durability of acknowledged writes (applied somewhere, see {@link History}), judged on what the
 * disks hold durably, so that it covers every crash the model allows:
 *
 * <ul>
 *   <li>when an entry is acknowledged, the nodes whose disks hold it durably must be a blocking set
 *       of the latest configuration: the nodes without it must not form a quorum, or crashing them
 *       all would lose it (a node lost to damaged storage holds nothing, and is not counted among
 *       those without it either: it never votes again, and the operator replaces it);
 *   <li>and no running node may be able to win an election without it, judged on the configuration
 *       that node holds (both halves of a joint one): a voter of its own configuration that lacks
 *       the entry and may campaign in it (no configuration change in its log is committed but
 *       unapplied, nor are there two of them), together with the voters that lack it durably and
 *       whose durable logs are no more up to date than its log (so they would grant it their
 *       votes), must not form a quorum;
 *   <li>when a disk durably overwrites an acknowledged entry, the other disks still hold it as a
 *       blocking set;
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
    if (index <= bootstrapLast) {
      return;
    }
    String lacking = lackingQuorum(index, term, 0);
    if (lacking != null) {
      checks.fail(
          Check.DURABILITY,
          "entry (index " + index + ", term " + term + ") was acknowledged but " + lacking);
    }
  }

  /**
   * Null if the disks holding {@code (index, term)} durably, {@code except} aside, are a blocking
   * set of the latest configuration and no node could be elected without the entry in the
   * configuration it holds; else a description of the quorum that lacks it.
   */
  private String lackingQuorum(long index, long term, long except) {
    ConfState cs = history.latestConfig();
    if (cs == null) {
      return null;
    }
    String electable = electableWithout(index, term, except);
    if (electable != null) {
      return electable;
    }
    StringBuilder without = new StringBuilder();
    long missing = 0;
    for (int id = 1; id < nodes.length; id++) {
      if (nodes[id].isLost()) {
        continue; // its data is gone, but it never votes again either
      }
      if (id == except || !nodes[id].disk.holds(index, term)) {
        missing |= 1L << id;
        without.append(' ').append(id);
      }
    }
    if (isQuorum(cs.getVotersList(), missing)
        && (cs.getVotersOutgoingCount() == 0 || isQuorum(cs.getVotersOutgoingList(), missing))) {
      return "the nodes"
          + without
          + " lack it durably, a quorum of "
          + cs.getVotersList()
          + (cs.getVotersOutgoingCount() == 0 ? "" : " & " + cs.getVotersOutgoingList());
    }
    return null;
  }

  /**
   * Null unless some running node lacking {@code (index, term)} could win an election in the
   * configuration it holds now: with its own vote and those of the voters that lack the entry
   * durably and whose durable logs are no more up to date than its log, a quorum of each half. Then
   * a description. (A crashed node is judged once it runs again: its configuration is then rebuilt
   * from its disk.)
   */
  private String electableWithout(long index, long term, long except) {
    for (int id = 1; id < nodes.length; id++) {
      SimNode n = nodes[id];
      if (!n.isRunning()
          || n.raw == null
          || (id != except && SimDisk.holds(n.storage, index, term))) {
        continue;
      }
      ConfState cs = n.raw.status().config();
      if (!(cs.getVotersList().contains((long) id)
              || cs.getVotersOutgoingList().contains((long) id))
          || !mayCampaign(n)) {
        continue; // it cannot campaign in this configuration (it applies newer ones first)
      }
      long lastIndex = n.storage.lastIndex();
      long lastTerm = lastIndex == 0 ? 0 : n.storage.term(lastIndex);
      long voters = 0;
      StringBuilder names = new StringBuilder();
      for (int v = 1; v < nodes.length; v++) {
        SimNode o = nodes[v];
        if (o.isLost()) {
          continue; // out of service for good: it never votes again
        }
        boolean lacks = v == except || v == id || !o.disk.holds(index, term);
        boolean behind =
            o.disk.durableLastTerm() < lastTerm
                || (o.disk.durableLastTerm() == lastTerm && o.disk.durableLastIndex() <= lastIndex);
        if (v == id || (lacks && behind)) {
          voters |= 1L << v;
          names.append(' ').append(v);
        }
      }
      if (isQuorum(cs.getVotersList(), voters)
          && (cs.getVotersOutgoingCount() == 0 || isQuorum(cs.getVotersOutgoingList(), voters))) {
        return "node "
            + id
            + " lacks it and could be elected without it by the nodes"
            + names
            + ", a quorum of its configuration "
            + cs.getVotersList()
            + (cs.getVotersOutgoingCount() == 0 ? "" : " & " + cs.getVotersOutgoingList());
      }
    }
    return null;
  }

  /**
   * Whether the node could campaign now as far as configuration changes go (see {@code
   * Elections.hasUnappliedConfChanges}): none in its log after its applied index is committed, and
   * there are fewer than two.
   */
  private static boolean mayCampaign(SimNode n) {
    BasicStatus s = n.raw.basicStatus();
    long commit = s.hardState().getCommit();
    int changes = 0;
    for (long i = Math.max(s.applied() + 1, n.storage.firstIndex());
        i <= n.storage.lastIndex();
        i++) {
      if (n.storage.entries(i, i + 1, Long.MAX_VALUE).get(0).getType() != EntryType.EntryNormal
          && (i <= commit || ++changes >= 2)) {
        return false;
      }
    }
    return true;
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

  /**
   * A disk is about to replace its entries from {@code e}'s index on. A node may lose an
   * acknowledged entry this way (it follows a stale leader, say, and was not among those that
   * committed the entry), but the others must still hold it as a blocking set.
   */
  @Override
  public void beforeDurableEntry(long node, MemoryStorage durable, Entry e) {
    long last = Math.min(durable.lastIndex(), history.size());
    for (long i = Math.max(e.getIndex(), durable.firstIndex()); i <= last; i++) {
      if (durable.term(i) != history.term(i)
          || (i == e.getIndex() && e.getTerm() == history.term(i))) {
        continue;
      }
      String lacking = lackingQuorum(i, history.term(i), node);
      if (lacking != null) {
        checks.fail(
            Check.DURABILITY,
            "node "
                + node
                + " durably overwrote acknowledged entry (index "
                + i
                + ", term "
                + history.term(i)
                + ") with term "
                + e.getTerm()
                + " at index "
                + e.getIndex()
                + ", and "
                + lacking);
        return;
      }
    }
  }

  @Override
  public void onDurableHardState(long node, HardState prev, HardState hs) {
    elections.onDurable(node, hs);
    if (hs.getTerm() < prev.getTerm()) {
      checks.fail(
          Check.SINGLE_VOTE,
          "node " + node + " synced term " + hs.getTerm() + " after term " + prev.getTerm());
    }
  }

  /** At the end of a run: the leader's log holds every acknowledged entry. */
  void checkFinal(SimNode leader) {
    MemoryStorage s = leader.storage;
    long last = s.lastIndex();
    for (long i = s.firstIndex(); i <= history.size(); i++) {
      long t = i <= last ? s.term(i) : -1;
      if (t != history.term(i)) {
        checks.fail(
            Check.DURABILITY,
            "acknowledged entry (index "
                + i
                + ", term "
                + history.term(i)
                + ") is missing from the final leader "
                + leader.id
                + "'s log (term there: "
                + t
                + ")");
        return;
      }
    }
  }
}

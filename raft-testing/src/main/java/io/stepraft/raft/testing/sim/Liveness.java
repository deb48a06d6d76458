package io.stepraft.raft.testing.sim;

import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.pb.ConfState;

/**
 * The settling phase and its liveness checks, with bounds derived from the run's election timeout.
 * Faults stop, the network heals and calms, paused nodes resume and crashed members restart. Within
 * {@link #LEADER_ELECTION_TIMEOUTS_MAX} election timeouts a leader must be known to every member
 * (but one lost to damaged storage, which the operator is replacing), and within {@link
 * #CONVERGE_ELECTION_TIMEOUTS_MAX} the cluster must converge: every pending proposal acknowledged,
 * no joint configuration, and every member applied up to the leader's last index, which is
 * committed. Then a fault-free tail of {@link #TAIL_ELECTION_TIMEOUTS} election timeouts of client
 * load must be served too: the cluster converges again within the same bound, and the writes
 * acknowledged in the tail measure its throughput.
 */
final class Liveness {
  /** Election timeouts after the heal by which every member must know one leader. */
  static final int LEADER_ELECTION_TIMEOUTS_MAX = 100;

  /** Election timeouts after the heal (or the tail's load) by which the cluster must converge. */
  static final int CONVERGE_ELECTION_TIMEOUTS_MAX = 300;

  /** Election timeouts of fault-free client load after the cluster converged. */
  static final int TAIL_ELECTION_TIMEOUTS = 10;

  private Liveness() {}

  /**
   * Runs the settling phase, then the fault-free tail; returns the final leader, or fails with
   * {@link Check#LIVENESS}.
   */
  static SimNode settleAndServe(World w) {
    SimNode leader = settle(w);
    if (leader == null) {
      return null;
    }
    w.settleTicks = ticksTaken(w);
    long tailStart = w.now;
    long ackedBefore = w.stats.acknowledged;
    w.load.startTail();
    w.runUntil(
        w.now
            + (long) TAIL_ELECTION_TIMEOUTS
                * w.params.cluster().electionTicks()
                * World.TICK_MICROS);
    w.load.endTail();
    leader = converge(w, w.now, "the fault-free tail's load");
    w.stats.tailTicks = (w.now - tailStart) / World.TICK_MICROS;
    w.stats.tailAcknowledged = w.stats.acknowledged - ackedBefore;
    return leader;
  }

  /** Runs the settling phase; returns the final leader, or fails with {@link Check#LIVENESS}. */
  private static SimNode settle(World w) {
    long healAt = w.now;
    w.healAt = healAt;
    w.faults.stop();
    w.net.calm();
    w.trace.add(w.now, "faults stop; network heals", 0, null);
    for (int id = 1; id < w.nodes.length; id++) {
      SimNode n = w.nodes[id];
      if (n.status == SimNode.Status.PAUSED) {
        w.resume(n);
      } else if (n.status == SimNode.Status.CRASHED) {
        w.restart(n);
      }
    }
    return converge(w, healAt, "the heal");
  }

  /**
   * Waits for a known leader and a converged cluster, within the bounds counted from {@code since}.
   */
  private static SimNode converge(World w, long since, String after) {
    int electionTicks = w.params.cluster().electionTicks();
    long leaderTicksMax = (long) LEADER_ELECTION_TIMEOUTS_MAX * electionTicks;
    long convergeTicksMax = (long) CONVERGE_ELECTION_TIMEOUTS_MAX * electionTicks;
    boolean leaderKnown = false;
    while (true) {
      w.runUntil(w.now + World.TICK_MICROS);
      long ticks = (w.now - since) / World.TICK_MICROS;
      SimNode leader = agreedLeader(w);
      if (leader != null && !leaderKnown) {
        leaderKnown = true;
        if (w.leaderTicks < 0) {
          w.leaderTicks = ticks;
        }
      }
      if (leader != null && converged(w, leader)) {
        return leader;
      }
      if (!leaderKnown && ticks >= leaderTicksMax) {
        w.checks.fail(
            Check.LIVENESS,
            "no leader known to every member "
                + ticks
                + " ticks ("
                + LEADER_ELECTION_TIMEOUTS_MAX
                + " election timeouts) after "
                + after
                + "; "
                + describe(w));
        return null;
      }
      if (ticks >= convergeTicksMax) {
        w.checks.fail(
            Check.LIVENESS,
            "not converged "
                + ticks
                + " ticks ("
                + CONVERGE_ELECTION_TIMEOUTS_MAX
                + " election timeouts) after "
                + after
                + " (pending proposals "
                + w.load.pendingCount()
                + "); "
                + describe(w));
        return null;
      }
    }
  }

  static long ticksTaken(World w) {
    return (w.now - w.healAt) / World.TICK_MICROS;
  }

  /** The leader every running member follows in the same term, or null. */
  private static SimNode agreedLeader(World w) {
    SimNode leader = w.leader();
    ConfState cs = w.history.latestConfig();
    if (leader == null || cs == null) {
      return null;
    }
    long term = leader.raw.basicStatus().hardState().getTerm();
    for (int id = 1; id < w.nodes.length; id++) {
      if (!w.isActiveMember(cs, id)) {
        continue;
      }
      SimNode n = w.nodes[id];
      if (!n.isUp()) {
        return null;
      }
      BasicStatus s = n.raw.basicStatus();
      if (s.hardState().getTerm() != term || s.softState().lead() != leader.id) {
        return null;
      }
    }
    return leader;
  }

  private static boolean converged(World w, SimNode leader) {
    ConfState cs = w.history.latestConfig();
    long commit = leader.raw.basicStatus().hardState().getCommit();
    if (w.load.pendingCount() > 0
        || cs.getVotersOutgoingCount() > 0
        || leader.storage.lastIndex() != commit
        || leader.sm.applied() != commit) {
      return false;
    }
    for (int id = 1; id < w.nodes.length; id++) {
      if (w.isActiveMember(cs, id) && w.nodes[id].sm.applied() != commit) {
        return false;
      }
    }
    return true;
  }

  private static String describe(World w) {
    ConfState cs = w.history.latestConfig();
    if (cs == null) {
      cs = ConfState.getDefaultInstance();
    }
    StringBuilder sb =
        new StringBuilder("latest config ")
            .append(cs.getVotersList())
            .append(" outgoing ")
            .append(cs.getVotersOutgoingList())
            .append(" learners ")
            .append(cs.getLearnersList())
            .append('\n');
    for (int id = 1; id < w.nodes.length; id++) {
      sb.append("    ").append(w.nodes[id]).append('\n');
    }
    return sb.toString();
  }
}

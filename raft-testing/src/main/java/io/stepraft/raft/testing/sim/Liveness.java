package io.stepraft.raft.testing.sim;

import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.pb.ConfState;

/**
 * The settling phase and its liveness check. Faults stop, the network heals and calms, paused nodes
 * resume and crashed members restart. Within {@link #LEADER_TICKS_MAX} ticks a leader must be known
 * to every member, and within {@link #CONVERGE_TICKS_MAX} ticks the cluster must converge: every
 * pending proposal acknowledged, no joint configuration, and every member applied up to the
 * leader's last index, which is committed.
 */
final class Liveness {
  /** Ticks after the heal by which every member must know one leader. */
  static final int LEADER_TICKS_MAX = 1000;

  /** Ticks after the heal by which the cluster must have converged. */
  static final int CONVERGE_TICKS_MAX = 3000;

  private Liveness() {}

  /** Runs the settling phase; returns the final leader, or fails with {@link Check#LIVENESS}. */
  static SimNode settle(World w) {
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
    boolean leaderKnown = false;
    while (true) {
      w.runUntil(w.now + World.TICK_MICROS);
      long ticks = (w.now - healAt) / World.TICK_MICROS;
      SimNode leader = agreedLeader(w);
      if (leader != null && !leaderKnown) {
        leaderKnown = true;
        w.leaderTicks = ticks;
      }
      if (leader != null && converged(w, leader)) {
        return leader;
      }
      if (!leaderKnown && ticks >= LEADER_TICKS_MAX) {
        w.checks.fail(
            Check.LIVENESS,
            "no leader known to every member " + ticks + " ticks after the heal; " + describe(w));
        return null;
      }
      if (ticks >= CONVERGE_TICKS_MAX) {
        w.checks.fail(
            Check.LIVENESS,
            "not converged "
                + ticks
                + " ticks after the heal (pending proposals "
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
      if (!World.isMember(cs, id)) {
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
      if (World.isMember(cs, id) && w.nodes[id].sm.applied() != commit) {
        return false;
      }
    }
    return true;
  }

  private static String describe(World w) {
    ConfState cs = w.history.latestConfig();
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

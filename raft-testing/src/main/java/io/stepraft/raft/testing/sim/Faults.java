package io.stepraft.raft.testing.sim;

import java.util.SplittableRandom;

/**
 * The fault injector of the chaos phase: partitions (a split in two, a one-way cut, an isolated
 * node), heals, crashes and pauses, each with the run's rate; and crashes between a Ready's writes
 * and its fsync. Crashed nodes restart and paused nodes resume after a random while.
 */
final class Faults {
  private final World w;
  private final SimParams.FaultParams p;
  private final SplittableRandom rng;
  private final int nodes;
  private boolean active = true;

  Faults(World w) {
    this.w = w;
    this.p = w.params.faults();
    this.rng = w.rng;
    this.nodes = w.params.cluster().nodes();
  }

  /** One driver round: maybe inject some faults. */
  void round() {
    if (rng.nextDouble() < p.partitionRate()) {
      partition();
    }
    if (rng.nextDouble() < p.healRate()) {
      w.net.heal();
      w.trace.add(w.now, "heal", 0, null);
    }
    if (rng.nextDouble() < p.crashRate()) {
      SimNode n = rng.nextBoolean() ? w.leader() : randomNode(true);
      if (n != null) {
        w.crash(n, "crash");
      }
    }
    if (rng.nextDouble() < p.pauseRate()) {
      SimNode n = randomNode(false);
      if (n != null) {
        w.pause(n, ticks(0.2 + rng.nextDouble() * 2.8));
      }
    }
    storm();
  }

  /** The faults a storm aims at its rare state. */
  private void storm() {
    switch (w.params.storm()) {
      case FIGURE_8 -> {
        // A leader whose log runs ahead of its commit index goes down: its tail sits on whoever
        // got it, and the next leader may lack it.
        SimNode leader = w.leader();
        if (leader != null
            && leader.storage.lastIndex() > leader.raw.basicStatus().hardState().getCommit()
            && rng.nextDouble() < 0.03) {
          w.crash(leader, "crash a leader with an uncommitted tail", ticks(0.5 + rng.nextDouble()));
        }
      }
      case JOINT -> {
        io.stepraft.raft.pb.ConfState cs = w.history.latestConfig();
        if (cs != null && cs.getVotersOutgoingCount() > 0 && rng.nextDouble() < 0.05) {
          if (rng.nextBoolean()) {
            SimNode n = rng.nextBoolean() ? w.leader() : randomNode(true);
            if (n != null) {
              w.crash(n, "crash while joint");
            }
          } else {
            partition();
          }
        }
      }
      default -> {}
    }
  }

  /** Whether to crash a node between a Ready's writes and its fsync. */
  boolean crashBeforeFsync() {
    return active && rng.nextDouble() < p.crashInReadyRate();
  }

  /**
   * Whether to crash a node after it applied an entry and before the next: a quarter of the rate
   * above.
   */
  boolean crashWhileApplying() {
    return active && rng.nextDouble() < p.crashInReadyRate() / 4;
  }

  /** Whether a crash tears the last write instead of losing all of the unsynced writes. */
  boolean torn() {
    return rng.nextDouble() < p.tornRate();
  }

  /** How long a crashed node stays down, in microticks. */
  long downtime() {
    return ticks(1 + rng.nextInt(5));
  }

  /** Stops injecting faults. */
  void stop() {
    active = false;
  }

  boolean active() {
    return active;
  }

  private long ticks(double electionTimeouts) {
    return (long) (electionTimeouts * w.params.cluster().electionTicks() * World.TICK_MICROS);
  }

  private void partition() {
    w.stats.partitions++;
    switch (rng.nextInt(4)) {
      case 0 -> {
        long side = (rng.nextLong() & ((1L << nodes) - 1)) << 1;
        w.net.split(side);
        w.trace.add(w.now, "partition", 0, Long.toBinaryString(side));
      }
      case 1 -> {
        int a = 1 + rng.nextInt(nodes);
        int b = 1 + rng.nextInt(nodes);
        w.net.cutOneWay(a, b);
        w.trace.add(w.now, "cut one way to " + b, a, null);
      }
      case 2 -> {
        int a = 1 + rng.nextInt(nodes);
        w.net.isolate(a);
        w.trace.add(w.now, "isolate", a, null);
      }
      default -> {
        SimNode leader = w.leader();
        if (leader != null) {
          w.net.isolate((int) leader.id);
          w.trace.add(w.now, "isolate the leader", leader.id, null);
        }
      }
    }
  }

  private SimNode randomNode(boolean pausedToo) {
    int start = rng.nextInt(nodes);
    for (int i = 0; i < nodes; i++) {
      SimNode n = w.nodes[1 + (start + i) % nodes];
      if (n.isUp() || (pausedToo && n.status == SimNode.Status.PAUSED)) {
        return n;
      }
    }
    return null;
  }
}

package io.stepraft.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.PlantedBugs;
import org.junit.jupiter.api.Test;

/**
 * Shows that the checkers catch a bug in the core itself: a leader that commits entries of earlier
 * terms by counting replicas (Figure 8 of the Raft paper), planted through {@link
 * SimOptions#coreVariant}. The bug is rare with drawn parameters, so the runs are tuned to expose
 * it: no PreVote or CheckQuorum, 64-byte messages with one in flight (replication lags, so old
 * entries sit on a bare majority), and heavy partitions and crashes. The seeds were found by a
 * search over seeds 1..3000 with these parameters (4 hits); each is checked with every check
 * enabled, with and without the bug.
 */
class PlantedCoreBugTest {
  /** Seeds where the buggy core violates leader completeness under {@link #tuned}. */
  private static final long[] SEEDS = {891, 1527, 1941, 2500};

  /** No PreVote/CheckQuorum, 64-byte messages, one in flight, frequent partitions and crashes. */
  static SimParams tuned(SimParams p) {
    SimParams.ClusterParams c = p.cluster();
    SimParams.FaultParams f = p.faults();
    return p.withCluster(new SimParams.ClusterParams(c.nodes(), c.initialVoters(), c.electionTicks(),
            c.heartbeatTicks(), false, false, c.stepDownOnRemoval(), c.disableProposalForwarding(), 64, 1, 64,
            c.maxUncommittedBytes(), c.maxCommittedPerReadyBytes(), c.lazyCommitSync(), c.tickSkew(), false,
            c.maxStorageDelayMicros()))
        .withFaults(new SimParams.FaultParams(0.06, f.healRate(), 0.018, f.pauseRate(), f.crashInReadyRate(),
            f.tornRate(), f.chaosTicks()));
  }

  @Test
  void leaderCompletenessCatchesALeaderThatCommitsEarlierTermsByCounting() {
    SimOptions buggy = SimOptions.defaults().tweak(PlantedCoreBugTest::tuned)
        .coreVariant(PlantedBugs::commitByCounting);
    for (long seed : SEEDS) {
      RunResult r = World.run(seed, buggy);
      assertFalse(r.ok(), "seed " + seed + " passed with the commit-by-counting core");
      assertEquals(Check.LEADER_COMPLETENESS, r.violation().check(), r.report());
    }
  }

  @Test
  void theSameSeedsPassWithTheCorrectCore() {
    SimOptions clean = SimOptions.defaults().tweak(PlantedCoreBugTest::tuned);
    for (long seed : SEEDS) {
      RunResult r = World.run(seed, clean);
      assertTrue(r.ok(), "seed " + seed + " fails without the bug:\n" + r.report());
    }
  }
}

package io.stepraft.raft.testing.sim;

import org.junit.jupiter.api.Test;

/**
 * Lease-based reads under the assumptions a lease rests on: every run here reads by lease, on three
 * nodes, with clocks that tick at one rate, a network whose delays are bounded and no pauses, and
 * many reads and partitions; every read is linearizable. Where the assumption breaks (a leader
 * whose clock runs slow), raft-core-tests' {@code LeaseReadClockDriftScenarioTest} shows the stale
 * read.
 */
class LeaseReadSimulationTest {
  private static SimParams leaseRuns(SimParams p, double tickSkew) {
    SimParams.LoadParams l = p.load();
    SimParams.FaultParams f = p.faults();
    return p.withCluster(
            p.cluster()
                .withNodes(3, 3)
                .withPreVoteAndCheckQuorum(p.cluster().preVote(), true)
                .withLeaseReads(true)
                .withTickSkew(tickSkew))
        .withNetwork(p.network().bounded())
        .withFaults(
            new SimParams.FaultParams(
                0.04,
                f.healRate(),
                f.crashRate(),
                0,
                f.crashInReadyRate(),
                f.tornRate(),
                f.chaosTicks()))
        .withLoad(
            new SimParams.LoadParams(
                l.proposeRate(),
                0.5,
                l.confChangeRate(),
                l.transferRate(),
                l.compactRate(),
                l.maxPendingProposals()));
  }

  @Test
  void leaseReadsAreLinearizableWhenClocksTickAtOneRate() {
    SimulationAssertions.assertSeedsPass(
        1, 200, SimOptions.defaults().storm(SimParams.Storm.NONE).tweak(p -> leaseRuns(p, 0)));
  }
}

package io.stepraft.raft.testing.sim;

import org.junit.jupiter.api.Test;

/**
 * Lease-based reads are safe only under the assumptions a lease rests on, and the simulator tells
 * the two cases apart. Every run here reads by lease, on three nodes, under the network the lease
 * needs (bounded delays, no pauses) and with many reads and partitions. With clocks that tick at
 * one rate, every read is linearizable; with clocks that drift apart (each node's tick period off
 * by up to half), a leader whose clock runs slow still serves reads from its lease after its
 * followers' faster clocks let them elect a new leader, and the read checker catches a stale read.
 */
class LeaseReadClockDriftTest {
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
    SimulationAssertions.assertSeedsPass(1, 200, SimOptions.defaults().tweak(p -> leaseRuns(p, 0)));
  }

  @Test
  void leaseReadsGoStaleWhenClocksDriftApart() {
    SimulationAssertions.assertCaught(
        SimOptions.defaults().tweak(p -> leaseRuns(p, 0.5)),
        Check.READ_INDEX,
        SimOptions.defaults().tweak(p -> leaseRuns(p, 0)),
        1000);
  }
}

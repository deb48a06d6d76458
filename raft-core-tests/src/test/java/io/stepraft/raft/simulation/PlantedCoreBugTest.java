package io.stepraft.raft.simulation;

import io.stepraft.raft.PlantedBugs;
import io.stepraft.raft.testing.sim.Check;
import io.stepraft.raft.testing.sim.SimOptions;
import io.stepraft.raft.testing.sim.SimParams;
import io.stepraft.raft.testing.sim.SimulationAssertions;
import org.junit.jupiter.api.Test;

/**
 * Shows that the checkers catch bugs in the core itself, planted from the test side (a node built
 * with broken parts, see {@link io.stepraft.raft.PlantedBugs}): each test searches a bounded seed
 * range for a run where the checker fires, and replays that seed with the correct core.
 */
class PlantedCoreBugTest {
  /**
   * A leader that commits entries of earlier terms by counting replicas (Figure 8 of the Raft
   * paper). The bug is rare with drawn parameters, so the runs are tuned to expose it: no PreVote
   * or CheckQuorum, 64-byte messages with one in flight (replication lags, so old entries sit on a
   * bare majority), and heavy partitions and crashes.
   */
  @Test
  void leaderCompletenessCatchesALeaderThatCommitsEarlierTermsByCounting() {
    SimOptions tuned = SimOptions.defaults().tweak(PlantedCoreBugTest::figure8);
    SimulationAssertions.assertCaught(
        tuned.nodeFactory(PlantedBugs.commitByCounting()), Check.LEADER_COMPLETENESS, tuned, 3000);
  }

  /**
   * A leader that confirms reads by the host's context (stepraft's read queue before issue 11): a
   * late acknowledgement of an earlier heartbeat round, for a forwarded read whose duplicate is
   * queued again, confirms reads queued after that round was sent. The runs are tuned so that a
   * leader cut off from the others keeps leading and serving reads while late and echoed messages
   * reach it: three nodes without PreVote or CheckQuorum, forwarded reads and heartbeat answers
   * echoed half the time, many reads, frequent partitions.
   */
  @Test
  void readIndexCatchesALeaderThatConfirmsReadsByTheirContext() {
    SimOptions tuned = SimOptions.defaults().tweak(PlantedCoreBugTest::staleLeaderReads);
    SimulationAssertions.assertCaught(
        tuned.nodeFactory(PlantedBugs.contextKeyedReads()), Check.READ_INDEX, tuned, 3000);
  }

  static SimParams staleLeaderReads(SimParams p) {
    SimParams.ClusterParams c = p.cluster();
    SimParams.NetworkParams n = p.network();
    SimParams.LoadParams l = p.load();
    SimParams.FaultParams f = p.faults();
    return p.withCluster(c.withNodes(3, 3).withPreVoteAndCheckQuorum(false, false))
        .withNetwork(
            new SimParams.NetworkParams(
                n.dropRate(),
                n.dupRate(),
                n.maxDelayMicros(),
                n.spikeRate(),
                n.spikeMicros(),
                n.holdRate(),
                0.5))
        .withLoad(
            new SimParams.LoadParams(
                l.proposeRate(),
                0.4,
                l.confChangeRate(),
                l.transferRate(),
                l.compactRate(),
                l.maxPendingProposals()))
        .withFaults(
            new SimParams.FaultParams(
                0.04,
                f.healRate(),
                f.crashRate(),
                f.pauseRate(),
                f.crashInReadyRate(),
                f.tornRate(),
                f.chaosTicks()));
  }

  /** No PreVote/CheckQuorum, 64-byte messages, one in flight, frequent partitions and crashes. */
  static SimParams figure8(SimParams p) {
    SimParams.ClusterParams c = p.cluster();
    SimParams.FaultParams f = p.faults();
    return p.withCluster(
            c.withPreVoteAndCheckQuorum(false, false)
                .withReplicationLimits(64, 1, 64)
                .withAsyncWrites(false))
        .withFaults(
            new SimParams.FaultParams(
                0.06,
                f.healRate(),
                0.018,
                f.pauseRate(),
                f.crashInReadyRate(),
                f.tornRate(),
                f.chaosTicks()));
  }
}

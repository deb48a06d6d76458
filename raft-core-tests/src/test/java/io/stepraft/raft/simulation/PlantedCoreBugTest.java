package io.stepraft.raft.simulation;

import io.stepraft.raft.Config;
import io.stepraft.raft.PlantedBugs;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.testing.sim.Check;
import io.stepraft.raft.testing.sim.SimOptions;
import io.stepraft.raft.testing.sim.SimParams;
import io.stepraft.raft.testing.sim.SimulationAssertions;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The simulator catches bugs in the core itself: each test plants one (a node built with broken
 * {@code SafetyRules} or a broken read queue, see {@link PlantedBugs}), searches at most {@value
 * #SEEDS_MAX} seeds (the budget of the build's simulation run) for a run where the named check
 * fires, and replays that seed with the correct core. Some bugs need a storm, or parameters of
 * their own, to show within the budget; each says which.
 */
class PlantedCoreBugTest {
  private static final int SEEDS_MAX = 1000;

  private static void assertCaught(
      Function<Config, RawNode> buggy, Check check, SimOptions options) {
    SimulationAssertions.assertCaught(options.nodeFactory(buggy), check, options, SEEDS_MAX);
  }

  private static SimOptions storm(SimParams.Storm storm) {
    return SimOptions.defaults().storm(storm);
  }

  private static SimOptions tuned(UnaryOperator<SimParams> tweak) {
    return SimOptions.defaults().storm(SimParams.Storm.NONE).tweak(tweak);
  }

  /**
   * A leader that commits entries of earlier terms by counting replicas (Figure 8 of the Raft
   * paper). Runs without PreVote or CheckQuorum, with 64-byte messages one at a time (old entries
   * sit on bare majorities), heavy partitions and crashes, and messages held across leader changes.
   */
  @Test
  void leaderCompletenessCatchesALeaderThatCommitsEarlierTermsByCounting() {
    assertCaught(
        PlantedBugs.commitByCounting(),
        Check.LEADER_COMPLETENESS,
        tuned(PlantedCoreBugTest::figure8));
  }

  /**
   * A leader that counts acknowledgements (MsgAppResp) of an earlier term. It takes one to outlive
   * two leader changes of the same node: the Figure 8 storm replays acknowledgements to a node that
   * leads again after another leader replaced its tail, and the entries it then commits are held by
   * fewer nodes than it counted.
   */
  @Test
  void durabilityCatchesALeaderThatCountsAcknowledgementsOfAnEarlierTerm() {
    assertCaught(
        PlantedBugs.staleTermAcknowledgements(), Check.DURABILITY, storm(SimParams.Storm.FIGURE_8));
  }

  /** A leader of a joint configuration that commits what a quorum of the incoming half holds. */
  @Test
  void durabilityCatchesALeaderThatCommitsWithOneHalfOfAJointConfiguration() {
    assertCaught(PlantedBugs.oneHalfJointQuorum(), Check.DURABILITY, storm(SimParams.Storm.JOINT));
  }

  /**
   * A node that votes again in a term it voted in: the core's own invariant (a vote is recorded at
   * most once per term) refuses it loudly.
   */
  @Test
  void theCoresInvariantCatchesANodeThatVotesTwiceInATerm() {
    assertCaught(PlantedBugs.voteReuse(), Check.CORE_INVARIANT, storm(SimParams.Storm.NONE));
  }

  /** A follower that keeps entries that conflict with the leader's. */
  @Test
  void logMatchingCatchesAFollowerThatKeepsConflictingEntries() {
    assertCaught(
        PlantedBugs.keepConflictingEntries(), Check.LOG_MATCHING, storm(SimParams.Storm.NONE));
  }

  /** A new leader that answers reads before it committed an entry of its term. */
  @Test
  void readIndexCatchesALeaderThatAnswersReadsBeforeItsFirstCommit() {
    assertCaught(
        PlantedBugs.readsBeforeTheFirstCommit(), Check.READ_INDEX, storm(SimParams.Storm.NONE));
  }

  /**
   * A leader that confirms reads by the host's context (stepraft's read queue before issue 11): a
   * late acknowledgement of an earlier heartbeat round, for a forwarded read whose duplicate is
   * queued again, confirms reads queued after that round was sent. Three nodes without PreVote or
   * CheckQuorum (a leader cut off keeps leading and serving), forwarded reads and heartbeat answers
   * echoed half the time, many reads, frequent partitions.
   */
  @Test
  void readIndexCatchesALeaderThatConfirmsReadsByTheirContext() {
    assertCaught(
        PlantedBugs.contextKeyedReads(),
        Check.READ_INDEX,
        tuned(PlantedCoreBugTest::staleLeaderReads));
  }

  static SimParams staleLeaderReads(SimParams p) {
    SimParams.NetworkParams n = p.network();
    SimParams.LoadParams l = p.load();
    SimParams.FaultParams f = p.faults();
    return p.withCluster(p.cluster().withNodes(3, 3).withPreVoteAndCheckQuorum(false, false))
        .withNetwork(n.withLateMessages(n.holdRate(), 0.5))
        .withLoad(l.withRates(l.proposeRate(), 0.4, l.confChangeRate()))
        .withFaults(f.withPartitionRate(0.04));
  }

  /**
   * No PreVote/CheckQuorum, 64-byte messages, one in flight, frequent partitions and crashes, and
   * messages held across leader changes.
   */
  static SimParams figure8(SimParams p) {
    SimParams.FaultParams f = p.faults();
    return p.withCluster(
            p.cluster()
                .withPreVoteAndCheckQuorum(false, false)
                .withReplicationLimits(64, 1, 64)
                .withAsyncWrites(false))
        .withNetwork(p.network().withLateMessages(0.05, 0.3))
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

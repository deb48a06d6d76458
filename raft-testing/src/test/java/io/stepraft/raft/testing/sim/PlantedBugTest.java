package io.stepraft.raft.testing.sim;

import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Shows that each checker fails when it should: with a bug planted in the host, disk or network and
 * only that checker enabled, some seed makes it report a violation, and the same seed passes
 * without the bug (see {@link SimulationAssertions#assertCaught}).
 */
class PlantedBugTest {
  /** The most seeds searched for a run that trips the checker. */
  private static final int SEEDS_MAX = 150;

  /** More crashes, including between a Ready's writes and its fsync, with nothing torn. */
  private static SimParams crashy(SimParams p) {
    SimParams.FaultParams f = p.faults();
    return p.withFaults(
        new SimParams.FaultParams(
            f.partitionRate(),
            f.healRate(),
            Math.max(0.004, f.crashRate()),
            f.pauseRate(),
            0.02,
            0,
            f.chaosTicks()));
  }

  @Test
  void durabilityCatchesAHostThatSendsBeforeItPersists() {
    assertCaught(PlantedBug.SEND_BEFORE_PERSIST, Check.DURABILITY, PlantedBugTest::crashy);
  }

  @Test
  void stateMachineSafetyCatchesAHostThatSendsBeforeItPersists() {
    assertCaught(
        PlantedBug.SEND_BEFORE_PERSIST, Check.STATE_MACHINE_SAFETY, PlantedBugTest::crashy);
  }

  @Test
  void durabilityCatchesADiskThatLiesAboutFsync() {
    assertCaught(PlantedBug.DISK_LIES, Check.DURABILITY, p -> p);
  }

  @Test
  void leaderCompletenessCatchesALeaderElectedWithoutCommittedEntriesAfterADiskLied() {
    assertCaught(PlantedBug.DISK_LIES, Check.LEADER_COMPLETENESS, PlantedBugTest::crashy);
  }

  @Test
  void singleVoteCatchesAHostThatForgetsItsVote() {
    assertCaught(PlantedBug.FORGET_VOTE, Check.SINGLE_VOTE, p -> p);
  }

  @Test
  void electionSafetyCatchesTwoLeadersInATermAfterAHostForgotItsVote() {
    assertCaught(PlantedBug.FORGET_VOTE, Check.ELECTION_SAFETY, p -> p);
  }

  @Test
  void electionSafetyCatchesForgedVoteGrants() {
    assertCaught(PlantedBug.FORGE_VOTE, Check.ELECTION_SAFETY, p -> p);
  }

  @Test
  void stateMachineSafetyCatchesAHostThatAppliesUncommittedEntries() {
    assertCaught(PlantedBug.APPLY_UNCOMMITTED, Check.STATE_MACHINE_SAFETY, p -> p);
  }

  @Test
  void commitBoundsCatchAHostThatAppliesUncommittedEntries() {
    assertCaught(PlantedBug.APPLY_UNCOMMITTED, Check.COMMIT_BOUNDS, p -> p);
  }

  @Test
  void applyOrderCatchesAHostThatReappliesEntriesAfterARestart() {
    assertCaught(PlantedBug.APPLY_TWICE, Check.APPLY_ORDER, p -> p);
  }

  @Test
  void linearizabilityCatchesAHostThatServesReadsLocally() {
    assertCaught(PlantedBug.STALE_READ, Check.LINEARIZABILITY, p -> p);
  }

  @Test
  void linearizabilityCatchesAHostThatAppliesUncommittedEntries() {
    assertCaught(PlantedBug.APPLY_UNCOMMITTED, Check.LINEARIZABILITY, p -> p);
  }

  @Test
  void readIndexCatchesAHostThatServesReadsLocally() {
    assertCaught(PlantedBug.STALE_READ, Check.READ_INDEX, p -> p);
  }

  @Test
  void logMatchingCatchesANetworkThatCorruptsEntries() {
    assertCaught(PlantedBug.CORRUPT_ENTRY, Check.LOG_MATCHING, p -> p);
  }

  @Test
  void livenessCatchesANetworkThatDropsEveryVoteRequest() {
    assertCaught(PlantedBug.DROP_VOTES, Check.LIVENESS, p -> p);
  }

  @Test
  void commitMonotonicityCatchesADiskThatRollsBackItsHardState() {
    assertCaught(PlantedBug.ROLLBACK_HARD_STATE, Check.COMMIT_MONOTONICITY, p -> p);
  }

  private static void assertCaught(PlantedBug bug, Check check, UnaryOperator<SimParams> tweak) {
    SimOptions options = SimOptions.defaults().tweak(tweak);
    SimulationAssertions.assertCaught(
        options.planted(bug, Set.of(check)), check, options, SEEDS_MAX);
  }
}

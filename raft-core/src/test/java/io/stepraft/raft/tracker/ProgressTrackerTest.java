package io.stepraft.raft.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.quorum.JointConfig;
import io.stepraft.raft.quorum.MajorityConfig;
import io.stepraft.raft.quorum.VoteResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

  private static SortedSet<Long> set(long... ids) {
    SortedSet<Long> set = new TreeSet<>();
    for (long id : ids) {
      set.add(id);
    }
    return set;
  }

  private static JointConfig voters(long[] incoming, long... outgoing) {
    return new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
  }

  /** A tracker with the given configuration and a probing progress for every member. */
  private static ProgressTracker tracker(JointConfig voters, SortedSet<Long> learners) {
    ProgressTracker t = new ProgressTracker(4, 0);
    t.setConfig(voters, learners, set(), false);
    for (long id : voters.ids()) {
      t.putProgress(id, new Progress(1, 0, 4, 0, false));
    }
    for (long id : learners) {
      t.putProgress(id, new Progress(1, 0, 4, 0, true));
    }
    return t;
  }

  private static void match(ProgressTracker t, long id, long match) {
    t.progress(id).maybeUpdate(match);
  }

  @Test
  void constructorRejectsBadLimits() {
    assertThrows(IllegalArgumentException.class, () -> new ProgressTracker(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new ProgressTracker(1, -1));
    ProgressTracker t = new ProgressTracker(7, 99);
    assertEquals(7, t.maxInflight());
    assertEquals(99, t.maxInflightBytes());
  }

  @Test
  void newTrackerHasAnEmptyConfiguration() {
    ProgressTracker t = new ProgressTracker(1, 0);
    assertEquals(JointConfig.EMPTY, t.voters());
    assertTrue(t.learners().isEmpty());
    assertTrue(t.learnersNext().isEmpty());
    assertFalse(t.autoLeave());
    assertTrue(t.progressMap().isEmpty());
    assertFalse(t.isSingleton());
  }

  @Test
  void committedIsTheMajorityMatch() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    match(t, 1, 10);
    match(t, 2, 7);
    match(t, 3, 3);
    assertEquals(7, t.committed());
  }

  @Test
  void committedNeverCountsLearners() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set(4, 5));
    match(t, 1, 10);
    match(t, 4, 10);
    match(t, 5, 10);
    assertEquals(0, t.committed());
  }

  @Test
  void committedInAJointConfigNeedsBothMajorities() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}, 1, 4, 5), set());
    match(t, 1, 9);
    match(t, 2, 9);
    match(t, 4, 5);
    assertEquals(5, t.committed());
  }

  @Test
  void committedCountsVotersWithoutProgressAsZero() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    match(t, 1, 9);
    match(t, 2, 9);
    t.removeProgress(2);
    assertEquals(0, t.committed());
  }

  @Test
  void quorumActiveNeedsAMajorityOfRecentlyActiveVoters() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set(4));
    t.progress(1).setRecentActive(true);
    t.progress(4).setRecentActive(true);
    assertFalse(t.quorumActive());
    t.progress(2).setRecentActive(true);
    assertTrue(t.quorumActive());
  }

  @Test
  void quorumActiveIgnoresLearners() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set(4, 5, 6));
    t.progress(1).setRecentActive(true);
    for (long id = 4; id <= 6; id++) {
      t.progress(id).setRecentActive(true);
    }
    assertFalse(t.quorumActive());
  }

  @Test
  void quorumActiveInAJointConfigNeedsBothHalves() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}, 3, 4, 5), set());
    t.progress(1).setRecentActive(true);
    t.progress(2).setRecentActive(true);
    assertFalse(t.quorumActive());
    t.progress(4).setRecentActive(true);
    assertFalse(t.quorumActive());
    t.progress(5).setRecentActive(true);
    assertTrue(t.quorumActive());
  }

  @Test
  void quorumActiveCountsVotersWithoutProgressAsInactive() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    t.progress(1).setRecentActive(true);
    t.progress(2).setRecentActive(true);
    t.removeProgress(2);
    assertFalse(t.quorumActive());
  }

  @Test
  void quorumActiveMatchesVoteResultOverActivity() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(77);
    for (int i = 0; i < 2_000; i++) {
      long[] in = random.longs(random.nextInt(1, 6), 1, 8).toArray();
      long[] out =
          random.nextBoolean() ? new long[0] : random.longs(random.nextInt(1, 6), 1, 8).toArray();
      JointConfig jc = voters(in, out);
      ProgressTracker t = tracker(jc, set());
      java.util.Map<Long, Boolean> active = new java.util.HashMap<>();
      for (long id : jc.ids()) {
        boolean on = random.nextBoolean();
        t.progress(id).setRecentActive(on);
        active.put(id, on);
      }
      String context = "seed 77 case " + i + ": " + jc + " active " + active;
      assertEquals(jc.voteResult(active) == VoteResult.WON, t.quorumActive(), context);
    }
  }

  @Test
  void tallyVotesCountsVotersWithARecordedVote() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3, 4, 5}), set(6));
    t.recordVote(1, true);
    t.recordVote(2, false);
    t.recordVote(6, true);
    assertEquals(new ProgressTracker.TallyResult(1, 1, VoteResult.PENDING), t.tallyVotes());
    t.recordVote(3, true);
    t.recordVote(4, true);
    assertEquals(new ProgressTracker.TallyResult(3, 1, VoteResult.WON), t.tallyVotes());
  }

  @Test
  void tallyVotesReportsALostElection() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    t.recordVote(2, false);
    t.recordVote(3, false);
    assertEquals(new ProgressTracker.TallyResult(0, 2, VoteResult.LOST), t.tallyVotes());
  }

  @Test
  void recordVoteKeepsTheFirstVoteOfEachPeer() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    t.recordVote(2, false);
    t.recordVote(2, true);
    assertEquals(new ProgressTracker.TallyResult(0, 1, VoteResult.PENDING), t.tallyVotes());
  }

  @Test
  void resetVotesForgetsEveryVote() {
    ProgressTracker t = tracker(voters(new long[] {1, 2, 3}), set());
    t.recordVote(1, true);
    t.recordVote(2, true);
    t.resetVotes();
    assertEquals(new ProgressTracker.TallyResult(0, 0, VoteResult.PENDING), t.tallyVotes());
  }

  @Test
  void visitGoesInAscendingIdOrder() {
    ProgressTracker t = new ProgressTracker(4, 0);
    for (long id : new long[] {300, 7, 1000, 1, 42}) {
      t.putProgress(id, new Progress(1, 0, 4, 0, false));
    }
    List<Long> seen = new ArrayList<>();
    t.visit((id, p) -> seen.add(id));
    assertEquals(List.of(1L, 7L, 42L, 300L, 1000L), seen);
  }

  @Test
  void progressMapIsALiveUnmodifiableView() {
    ProgressTracker t = new ProgressTracker(4, 0);
    Progress p = new Progress(1, 0, 4, 0, false);
    Map<Long, Progress> view = t.progressMap();
    t.putProgress(3L, p);
    assertSame(p, view.get(3L));
    assertSame(p, t.progress(3));
    assertThrows(UnsupportedOperationException.class, () -> view.remove(3L));
    t.removeProgress(3);
    assertNull(t.progress(3));
    assertTrue(view.isEmpty());
    assertThrows(IllegalArgumentException.class, () -> t.putProgress(1, null));
  }

  @Test
  void voterAndLearnerNodesAreSorted() {
    ProgressTracker t = tracker(voters(new long[] {5, 1, 3}, 2, 1), set(9, 4));
    assertEquals(List.of(1L, 2L, 3L, 5L), t.voterNodes());
    assertEquals(List.of(4L, 9L), t.learnerNodes());
  }

  @Test
  void isSingletonOnlyForOneVoterOutsideJoint() {
    assertTrue(tracker(voters(new long[] {1}), set(2)).isSingleton());
    assertFalse(tracker(voters(new long[] {1, 2}), set()).isSingleton());
    assertFalse(tracker(voters(new long[] {1}, 1, 2), set()).isSingleton());
  }

  @Test
  void confStateRoundTripsTheConfiguration() {
    ProgressTracker t = new ProgressTracker(4, 0);
    t.setConfig(voters(new long[] {3, 1, 2}, 1, 5), set(4), set(5), true);
    ConfState cs = t.confState();
    assertEquals(List.of(1L, 2L, 3L), cs.getVotersList());
    assertEquals(List.of(1L, 5L), cs.getVotersOutgoingList());
    assertEquals(List.of(4L), cs.getLearnersList());
    assertEquals(List.of(5L), cs.getLearnersNextList());
    assertTrue(cs.getAutoLeave());

    ProgressTracker back = new ProgressTracker(4, 0);
    back.setConfig(
        new JointConfig(
            MajorityConfig.of(cs.getVotersList()), MajorityConfig.of(cs.getVotersOutgoingList())),
        new TreeSet<>(cs.getLearnersList()),
        new TreeSet<>(cs.getLearnersNextList()),
        cs.getAutoLeave());
    assertEquals(cs, back.confState());
    assertEquals(t.voters(), back.voters());
  }

  @Test
  void confStateAlwaysWritesAutoLeave() {
    ConfState cs = tracker(voters(new long[] {1}), set()).confState();
    assertTrue(cs.hasAutoLeave());
    assertFalse(cs.getAutoLeave());
    assertEquals(0, cs.getVotersOutgoingCount());
  }

  @Test
  void setConfigStoresCopiesAndExposesReadOnlyViews() {
    SortedSet<Long> learners = set(4);
    ProgressTracker t = new ProgressTracker(4, 0);
    t.setConfig(voters(new long[] {1}), learners, set(), false);
    learners.add(5L);
    assertEquals(set(4), t.learners());
    assertThrows(UnsupportedOperationException.class, () -> t.learners().add(6L));
  }

  @Test
  void setConfigNormalisesTheOrderOfTheLearnerSets() {
    SortedSet<Long> reversed = new TreeSet<>(Collections.reverseOrder());
    reversed.addAll(List.of(4L, 9L, 6L));
    ProgressTracker t = new ProgressTracker(4, 0);
    t.setConfig(voters(new long[] {1}), reversed, set(), false);
    assertEquals(List.of(4L, 6L, 9L), t.learnerNodes());
  }

  @Test
  void setConfigRejectsALearnerThatIsAVoter() {
    ProgressTracker t = new ProgressTracker(4, 0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> t.setConfig(voters(new long[] {1, 2}), set(2), set(), false));
    assertTrue(e.getMessage().contains("learner 2"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> t.setConfig(voters(new long[] {1}, 1, 3), set(3), set(), false));
  }

  @Test
  void setConfigRejectsLearnersNextOutsideTheOutgoingVoters() {
    ProgressTracker t = new ProgressTracker(4, 0);
    assertThrows(
        IllegalStateException.class,
        () -> t.setConfig(voters(new long[] {1}), set(), set(3), false));
    assertThrows(
        IllegalStateException.class,
        () -> t.setConfig(voters(new long[] {1}, 2), set(), set(3), false));
  }

  @Test
  void setConfigRejectsLearnersNextThatAreIncomingVoters() {
    ProgressTracker t = new ProgressTracker(4, 0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> t.setConfig(voters(new long[] {1, 2}, 1, 2), set(), set(2), false));
    assertTrue(e.getMessage().contains("learnerNext 2"), e.getMessage());
  }

  @Test
  void setConfigRejectsAutoLeaveOutsideJoint() {
    ProgressTracker t = new ProgressTracker(4, 0);
    assertThrows(
        IllegalStateException.class,
        () -> t.setConfig(voters(new long[] {1, 2}), set(), set(), true));
  }

  @Test
  void setConfigRejectsNullParts() {
    ProgressTracker t = new ProgressTracker(4, 0);
    assertThrows(IllegalArgumentException.class, () -> t.setConfig(null, set(), set(), false));
    assertThrows(
        IllegalArgumentException.class, () -> t.setConfig(JointConfig.EMPTY, null, set(), false));
  }

  @Test
  void toStringShowsConfigurationThenEveryPeer() {
    ProgressTracker t = new ProgressTracker(4, 0);
    t.setConfig(voters(new long[] {1, 2}, 1, 3), set(4), set(3), true);
    t.putProgress(2, new Progress(1, 0, 4, 0, false));
    t.putProgress(1, new Progress(5, 4, 4, 0, false));
    assertEquals(
        "voters=(1 2)&&(1 3) learners=(4) learners_next=(3) autoleave\n"
            + "1: StateProbe match=4 next=5 inactive\n"
            + "2: StateProbe match=0 next=1 inactive",
        t.toString());
    assertEquals("voters=()", new ProgressTracker(1, 0).configString());
  }
}

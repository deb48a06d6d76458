package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.REMOVE;
import static io.stepraft.raft.membership.Ccs.propose;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.Role;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removing a follower and removing the leader, with and without stepDownOnRemoval. */
class RemoveMemberTest {
  /** A removed follower is no longer replicated to, and the remaining two commit alone. */
  @Test
  void aRemovedFollowerGetsNothingMoreAndTheRestCommit() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(REMOVE, 3));
    assertEquals(List.of(1L, 2L), c.node(1).confState().getVotersList());
    assertEquals(List.of(1L, 2L), c.node(2).confState().getVotersList());
    assertFalse(c.node(1).raw().status().progress().containsKey(3L));
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
    assertEquals(List.of(), c.node(3).appliedData());
  }

  /** After removing a follower the quorum is two of two: the leader alone cannot commit. */
  @Test
  void afterRemovingAFollowerTheQuorumIsTheRemainingMajority() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(REMOVE, 3));
    c.isolate(2);
    c.propose(1, "a");
    assertEquals(List.of(), c.node(1).appliedData());
  }

  /**
   * With CheckQuorum, a removed follower that keeps timing out cannot disrupt the cluster: it never
   * learned of its removal and campaigns, but the members are within the leader's lease.
   */
  @Test
  void aRemovedFollowerCannotDisruptAClusterWithCheckQuorum() {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true));
    c.campaign(1);
    long term = c.node(1).term();
    propose(c, 1, v1(REMOVE, 3));
    c.tickAll(100);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(term, c.node(1).term());
    assertEquals(term, c.node(2).term());
    assertNotEquals(Role.LEADER, c.node(3).role());
  }

  /**
   * Without stepDownOnRemoval a removed leader keeps leading, as in etcd: it stays LEADER of a
   * configuration it is not in, keeps the members from electing anyone by heartbeating them, and
   * drops every proposal (REMOVED_FROM_CONFIGURATION). The host should stop it or transfer
   * leadership away.
   */
  @Test
  void aRemovedLeaderWithoutStepDownKeepsLeadingAndDropsProposals() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    long term = c.node(1).term();
    propose(c, 1, v1(REMOVE, 1));
    assertEquals(List.of(2L, 3L), c.node(2).confState().getVotersList());
    assertEquals(List.of(2L, 3L), c.node(1).confState().getVotersList());
    c.tickAll(100);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(1, c.node(2).lead());
    assertEquals(1, c.node(3).lead());
    assertEquals(term, c.node(2).term(), "no election happened");
    ProposalDroppedException e =
        assertThrows(ProposalDroppedException.class, () -> c.node(1).raw().propose(new byte[] {1}));
    assertEquals(ProposalDroppedException.Reason.REMOVED_FROM_CONFIGURATION, e.reason());
    c.propose(2, "forwarded"); // forwarded to 1 and dropped there
    assertEquals(List.of(), c.node(2).appliedData());
  }

  /** A removed leader that did not step down can still hand leadership to a member. */
  @Test
  void aRemovedLeaderCanTransferLeadershipToAMember() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(REMOVE, 1));
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(2, c.node(3).lead());
    c.propose(2, "a");
    assertEquals(List.of("a"), c.node(3).appliedData());
    // Nobody sends to the removed node any more, so it never hears of the new term: it stays a
    // stale leader of the old term until the host stops it (etcd behaves the same).
    assertEquals(Role.LEADER, c.node(1).role());
    assertTrue(c.node(1).term() < c.node(2).term());
  }

  /**
   * With stepDownOnRemoval the removed leader becomes a follower as soon as it applies its removal;
   * it cannot campaign, and the remaining members elect a leader among themselves.
   */
  @Test
  void aRemovedLeaderWithStepDownStepsDownAndTheRestElectANewLeader() {
    StepCluster c = StepCluster.create(3, b -> b.stepDownOnRemoval(true));
    c.campaign(1);
    long term = c.node(1).term();
    propose(c, 1, v1(REMOVE, 1));
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(term, c.node(1).term(), "stepping down keeps the term");
    assertEquals(0, c.node(1).lead());
    c.tickAll(40);
    long leader = c.leader();
    assertTrue(leader == 2 || leader == 3, "leader " + leader);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    c.propose(leader, "a");
    for (long id : new long[] {2, 3}) {
      StepNode n = c.node(id);
      assertEquals(List.of("a"), n.appliedData(), "node " + id);
      assertEquals(List.of(2L, 3L), n.confState().getVotersList(), "node " + id);
    }
  }

  /** A simple (v1) demotion of a follower is one voter change: allowed without joint consensus. */
  @Test
  void aFollowerDemotedByASimpleChangeStopsCountingButKeepsTheLog() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(Ccs.LEARNER, 3));
    assertEquals(List.of(1L, 2L), c.node(3).confState().getVotersList());
    assertEquals(List.of(3L), c.node(3).confState().getLearnersList());
    c.isolate(2);
    c.propose(1, "a");
    assertEquals(List.of(), c.node(1).appliedData(), "the learner 3 does not make a quorum with 1");
    assertEquals(List.of(), c.node(3).appliedData());
  }

  /**
   * A leader demoted to learner is handled like a removed one: with stepDownOnRemoval it steps
   * down, and a voter takes over.
   */
  @Test
  void aLeaderDemotedToLearnerWithStepDownStepsDown() {
    StepCluster c = StepCluster.create(3, b -> b.stepDownOnRemoval(true));
    c.campaign(1);
    propose(c, 1, v1(Ccs.LEARNER, 1));
    assertEquals(Role.FOLLOWER, c.node(1).role());
    c.tickAll(40);
    long leader = c.leader();
    assertTrue(leader == 2 || leader == 3, "leader " + leader);
    c.propose(leader, "a");
    assertEquals(List.of("a"), c.node(1).appliedData(), "the demoted node still gets the log");
  }

  /**
   * Without stepDownOnRemoval a leader demoted to learner keeps leading and, unlike a removed one,
   * still accepts proposals (it has a progress); they commit on the voters' acks alone.
   */
  @Test
  void aLeaderDemotedToLearnerWithoutStepDownKeepsLeadingOnTheVotersAcks() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(Ccs.LEARNER, 1));
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
    c.isolate(3);
    c.propose(1, "b");
    assertEquals(
        List.of("a"), c.node(1).appliedData(), "1 is a learner: 1 and 2 are 1 of 2 voters");
  }
}

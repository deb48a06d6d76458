package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.ADD;
import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.membership.Ccs.propose;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adding voters and learners, and promoting a learner (single-step changes, §4.1 of the thesis).
 */
class AddMemberTest {
  private static StepCluster threeWithLeader1() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    return c;
  }

  /** A new voter receives the whole log from index 1 and applies the change that added it. */
  @Test
  void anAddedVoterCatchesUpOnTheWholeLog() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(ADD, 4));
    assertEquals(List.of("a"), n4.appliedData());
    assertEquals(c.node(1).commit(), n4.commit());
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of(1L, 2L, 3L, 4L), n.confState().getVotersList(), "node " + n.id());
    }
    c.propose(1, "b");
    assertEquals(List.of("a", "b"), n4.appliedData());
  }

  /** With four voters the quorum is three: the leader and one follower no longer commit. */
  @Test
  void afterAddingAVoterTheLeaderAndOneFollowerCannotCommit() {
    StepCluster c = threeWithLeader1();
    c.addNode(4);
    propose(c, 1, v1(ADD, 4));
    c.isolate(2);
    c.isolate(4);
    c.propose(1, "b");
    assertEquals(List.of("a"), c.node(1).appliedData(), "1 and 3 are 2 of 4 voters");
  }

  /** The new voter's acknowledgement is what completes the quorum of three out of four. */
  @Test
  void theAddedVoterCountsTowardTheCommitQuorum() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(ADD, 4));
    c.isolate(2);
    c.cutOneWay(4, 1); // 4 receives "b" but its acknowledgement is lost
    c.propose(1, "b");
    assertEquals(List.of("a"), c.node(1).appliedData(), "1 and 3 alone are not a quorum of 4");
    c.recover();
    c.isolate(2);
    c.tick(1, 1); // heartbeat: 4 answers and the leader learns it holds "b"
    assertEquals(List.of("a", "b"), c.node(1).appliedData());
    assertEquals(List.of("a", "b"), n4.appliedData());
  }

  /** A learner receives and applies the log and knows the configuration it is a learner of. */
  @Test
  void anAddedLearnerReceivesTheLog() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(LEARNER, 4));
    c.propose(1, "b");
    assertEquals(List.of("a", "b"), n4.appliedData());
    ConfState cs = n4.confState();
    assertEquals(List.of(1L, 2L, 3L), cs.getVotersList());
    assertEquals(List.of(4L), cs.getLearnersList());
    assertTrue(c.node(1).progress(4).learner());
  }

  /** A learner's acknowledgement never counts toward the commit quorum. */
  @Test
  void aLearnerNeverCountsTowardCommit() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(LEARNER, 4));
    long commit = c.node(1).commit();
    c.isolate(2);
    c.isolate(3);
    c.propose(1, "b");
    assertEquals(commit + 1, c.node(1).progress(4).match(), "the learner holds b");
    assertEquals(commit, c.node(1).commit(), "1 and the learner 4 are 1 of 3 voters");
    assertEquals(List.of("a"), n4.appliedData());
  }

  /** A learner is not promotable: it never campaigns, however long it hears nothing. */
  @Test
  void aLearnerNeverCampaigns() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(LEARNER, 4));
    long term = n4.term();
    c.isolate(4);
    c.tick(4, 100);
    n4.raw().campaign();
    c.stabilize();
    assertEquals(Role.FOLLOWER, n4.role());
    assertEquals(term, n4.term());
  }

  /** A candidate asks only voters: no MsgVote is ever sent to a learner. */
  @Test
  void voteRequestsAreNotSentToALearner() {
    StepCluster c = threeWithLeader1();
    c.addNode(4);
    propose(c, 1, v1(LEARNER, 4));
    c.recordDelivered(true);
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    for (Message m : c.delivered()) {
      boolean voteToLearner =
          m.getTo() == 4
              && (m.getType() == MessageType.MsgVote || m.getType() == MessageType.MsgPreVote);
      assertFalse(voteToLearner, m.toString());
    }
  }

  /** A learner promoted with AddNode becomes a voter: it counts, and it may campaign and win. */
  @Test
  void aPromotedLearnerBecomesAVoterThatCanLead() {
    StepCluster c = threeWithLeader1();
    StepNode n4 = c.addNode(4);
    propose(c, 1, v1(LEARNER, 4));
    propose(c, 1, v1(ADD, 4));
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of(1L, 2L, 3L, 4L), n.confState().getVotersList(), "node " + n.id());
      assertEquals(List.of(), n.confState().getLearnersList(), "node " + n.id());
    }
    assertFalse(c.node(1).progress(4).learner());
    c.campaign(4);
    assertEquals(Role.LEADER, n4.role());
    c.propose(4, "b");
    assertEquals(List.of("a", "b"), c.node(1).appliedData());
  }
}

package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.dropReason;
import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.ProposalDroppedException.Reason;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proposals made on a node that does not lead: a follower forwards them to its leader unless
 * forwarding is disabled; a node that knows no leader, or is campaigning, drops them.
 */
class ProposalForwardingScenarioTest {

  /** A follower's proposal travels to the leader as a MsgProp and commits on every node. */
  @Test
  void followerForwardsAProposalToTheLeaderAndItCommitsEverywhere() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.recordDelivered(true);
    c.propose(2, "via-follower");
    assertEquals(
        1,
        ofType(c.delivered(), MessageType.MsgProp, 2, 1).size(),
        "the proposal went to the leader");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("via-follower"), n.appliedData(), "node " + n.id());
    }
  }

  /** With forwarding disabled a follower refuses a proposal and sends nothing. */
  @Test
  void withForwardingDisabledAFollowerDropsAProposal() {
    StepCluster c = StepCluster.create(3, b -> b.disableProposalForwarding(true));
    c.campaign(1);
    long leaderLast = c.node(1).storage().lastIndex();
    assertEquals(Reason.FORWARDING_DISABLED, dropReason(c, 2, "x"));
    assertTrue(c.collect(2).isEmpty(), "a dropped proposal must not be sent");
    c.stabilize();
    assertEquals(leaderLast, c.node(1).storage().lastIndex());
  }

  /** Disabling forwarding concerns followers only: the leader still accepts proposals. */
  @Test
  void withForwardingDisabledTheLeaderStillAcceptsProposals() {
    StepCluster c = StepCluster.create(3, b -> b.disableProposalForwarding(true));
    c.campaign(1);
    c.propose(1, "a");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a"), n.appliedData(), "node " + n.id());
    }
  }

  /** Before any election a follower knows no leader and drops proposals with NO_LEADER. */
  @Test
  void followerWithoutALeaderDropsAProposalWithNoLeader() {
    StepCluster c = StepCluster.create(3);
    assertEquals(0, c.node(2).lead());
    assertEquals(Reason.NO_LEADER, dropReason(c, 2, "x"));
    assertTrue(c.collect(2).isEmpty());
  }

  /** A follower whose leader stepped down (CheckQuorum) forgets it and drops with NO_LEADER. */
  @Test
  void formerLeaderThatSteppedDownDropsAProposalWithNoLeader() {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true));
    c.campaign(1);
    c.isolate(1);
    c.tick(1, 20);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(Reason.NO_LEADER, dropReason(c, 1, "x"));
  }

  /** A candidate is in the middle of an election: it drops proposals with ELECTION_IN_PROGRESS. */
  @Test
  void candidateDropsAProposalWithElectionInProgress() {
    StepCluster c = StepCluster.create(3);
    c.isolate(1);
    c.campaign(1);
    assertEquals(Role.CANDIDATE, c.node(1).role());
    assertEquals(Reason.ELECTION_IN_PROGRESS, dropReason(c, 1, "x"));
    assertTrue(c.collect(1).stream().noneMatch(m -> m.getType() == MessageType.MsgProp));
  }

  /** A pre-candidate drops proposals the same way. */
  @Test
  void preCandidateDropsAProposalWithElectionInProgress() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true));
    c.isolate(1);
    c.campaign(1);
    assertEquals(Role.PRE_CANDIDATE, c.node(1).role());
    assertEquals(Reason.ELECTION_IN_PROGRESS, dropReason(c, 1, "x"));
  }

  /**
   * Forwarding is fire-and-forget: a proposal lost on its way to the leader is not retried, so the
   * caller must watch for the commit and propose again.
   */
  @Test
  void forwardedProposalLostOnTheWayIsNotRetried() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.cutOneWay(2, 1);
    proposeRaw(c, 2, "lost");
    c.stabilize();
    c.recover();
    c.tickAll(5);
    for (StepNode n : c.nodes().values()) {
      assertTrue(n.appliedData().isEmpty(), "node " + n.id() + " applied " + n.appliedData());
    }
    c.propose(2, "retried");
    assertEquals(List.of("retried"), c.node(3).appliedData());
  }

  /** After a leader change a follower forwards to the new leader. */
  @Test
  void followerForwardsToTheNewLeaderAfterALeaderChange() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.campaign(3);
    assertEquals(3, c.node(2).lead());
    c.recordDelivered(true);
    c.propose(2, "a");
    List<Message> forwarded = ofType(c.delivered(), MessageType.MsgProp, 2, 3);
    assertEquals(1, forwarded.size());
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a"), n.appliedData(), "node " + n.id());
    }
  }
}

package io.stepraft.raft.transfer;

import static io.stepraft.raft.transfer.Transfers.transferee;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.MembershipChanges;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a leader does with transfer requests it must ignore, repeat, replace or abandon. */
class TransferRulesTest {
  private static StepCluster leader1() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    return c;
  }

  /** Starts a transfer to 3 that cannot finish: 3 is cut off. */
  private static StepCluster transferringToIsolated3() {
    StepCluster c = leader1();
    c.isolate(3);
    c.node(1).raw().transferLeader(3);
    c.stabilize();
    assertEquals(3, transferee(c, 1));
    return c;
  }

  private static void assertProposalsAccepted(StepCluster c) {
    c.propose(1, "after");
    assertEquals("after", c.node(2).appliedData().get(c.node(2).appliedData().size() - 1));
  }

  private static void assertNothingStarted(StepCluster c) {
    List<Message> out = c.collect(1);
    assertEquals(0, Messages.ofType(out, MessageType.MsgTimeoutNow).size(), out.toString());
    assertEquals(0, transferee(c, 1));
    assertEquals(Role.LEADER, c.node(1).role());
    assertProposalsAccepted(c);
  }

  /** While a transfer is in progress the leader drops proposals with TRANSFER_IN_PROGRESS. */
  @Test
  void proposalsAreDroppedDuringATransfer() {
    StepCluster c = transferringToIsolated3();
    ProposalDroppedException e =
        assertThrows(ProposalDroppedException.class, () -> c.node(1).raw().propose(new byte[] {1}));
    assertEquals(ProposalDroppedException.Reason.TRANSFER_IN_PROGRESS, e.reason());
    c.propose(2, "forwarded"); // forwarded by 2 and dropped by the leader
    assertEquals(List.of("a"), c.node(2).appliedData());
  }

  /** A transfer not done within an election timeout (of leader ticks) is abandoned. */
  @Test
  void aTransferThatDoesNotFinishWithinAnElectionTimeoutIsAborted() {
    StepCluster c = transferringToIsolated3();
    c.tick(1, 9);
    assertEquals(3, transferee(c, 1), "still transferring after 9 of 10 ticks");
    c.tick(1, 1);
    assertEquals(0, transferee(c, 1));
    assertEquals(Role.LEADER, c.node(1).role());
    assertProposalsAccepted(c);
  }

  /** Transferring to itself is ignored by the leader. */
  @Test
  void aTransferToTheLeaderItselfIsIgnored() {
    StepCluster c = leader1();
    c.node(1).raw().transferLeader(1);
    assertNothingStarted(c);
  }

  /** Learners cannot lead: a transfer to a learner is ignored. */
  @Test
  void aTransferToALearnerIsIgnored() {
    StepCluster c = leader1();
    c.addNode(4);
    c.node(1)
        .raw()
        .proposeConfChange(MembershipChanges.v1(ConfChangeType.ConfChangeAddLearnerNode, 4));
    c.stabilize();
    c.node(1).raw().transferLeader(4);
    assertNothingStarted(c);
    assertEquals(Role.FOLLOWER, c.node(4).role());
  }

  /** A transfer to a node outside the configuration is ignored. */
  @Test
  void aTransferToANonMemberIsIgnored() {
    StepCluster c = leader1();
    c.node(1).raw().transferLeader(9);
    assertNothingStarted(c);
  }

  /** A second transfer to another node replaces the first, and succeeds. */
  @Test
  void aSecondTransferToAnotherNodeReplacesTheFirst() {
    StepCluster c = transferringToIsolated3();
    c.node(1).raw().transferLeader(2);
    assertEquals(2, transferee(c, 1));
    c.stabilize();
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(Role.FOLLOWER, c.node(1).role());
  }

  /** A second request for the same transferee is ignored: no second MsgTimeoutNow. */
  @Test
  void aSecondTransferToTheSameNodeSendsNoSecondTimeoutNow() {
    StepCluster c = leader1();
    c.node(1).raw().transferLeader(2);
    assertEquals(1, Messages.ofType(c.collect(1), MessageType.MsgTimeoutNow).size());
    c.node(1).raw().transferLeader(2);
    assertEquals(0, Messages.ofType(c.collect(1), MessageType.MsgTimeoutNow).size());
    assertEquals(2, transferee(c, 1));
  }

  /** Repeating a request does not restart the transfer's deadline. */
  @Test
  void aRepeatedTransferRequestDoesNotExtendTheDeadline() {
    StepCluster c = transferringToIsolated3();
    c.tick(1, 5);
    c.node(1).raw().transferLeader(3);
    c.tick(1, 5);
    assertEquals(0, transferee(c, 1), "aborted 10 ticks after the first request");
  }

  /**
   * A request to transfer to the leader itself while another transfer runs cancels that transfer
   * (the previous one is aborted before the self check, as in etcd).
   */
  @Test
  void aTransferToSelfDuringATransferCancelsIt() {
    StepCluster c = transferringToIsolated3();
    c.node(1).raw().transferLeader(1);
    assertEquals(0, transferee(c, 1));
    assertProposalsAccepted(c);
  }

  /** A leader that steps down during a transfer forgets it. */
  @Test
  void steppingDownClearsTheTransfer() {
    StepCluster c = transferringToIsolated3();
    long term = c.node(1).term();
    c.node(1).raw().step(Messages.message(MessageType.MsgHeartbeat, 2, 1, term + 1).build());
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(0, transferee(c, 1));
  }

  /**
   * Regression: transferLeader(0) on a follower was forwarded with an empty sender, which the send
   * path fills in with the follower's own id, so the leader handed leadership to that follower. 0
   * is not a node id: the call is refused, on followers and leaders alike.
   */
  @Test
  void transferLeaderToIdZeroIsRefusedAndMovesNothing() {
    StepCluster c = leader1();
    long term = c.node(1).term();
    assertThrows(IllegalArgumentException.class, () -> c.node(2).raw().transferLeader(0));
    assertThrows(IllegalArgumentException.class, () -> c.node(1).raw().transferLeader(0));
    c.stabilize();
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(term, c.node(2).term());
    assertEquals(0, transferee(c, 1));
  }
}

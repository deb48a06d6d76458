package io.stepraft.raft.transfer;

import static io.stepraft.raft.testing.MembershipChanges.auto;
import static io.stepraft.raft.testing.MembershipChanges.explicit;
import static io.stepraft.raft.testing.MembershipChanges.implicit;
import static io.stepraft.raft.testing.MembershipChanges.leaveJoint;
import static io.stepraft.raft.testing.MembershipChanges.single;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static io.stepraft.raft.transfer.Transfers.transferee;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leadership transfer meeting configuration changes. */
class TransferMembershipTest {
  /** Removing the transferee aborts the transfer, and the leader accepts proposals again. */
  @Test
  void removingTheTransfereeAbortsTheTransfer() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(3);
    c.node(1).raw().proposeConfChange(v1(ConfChangeType.ConfChangeRemoveNode, 3));
    c.node(1).raw().transferLeader(3); // in progress while the removal is not applied
    assertEquals(3, transferee(c, 1));
    c.stabilize(); // 1 and 2 commit the removal; applying it aborts the transfer
    assertEquals(List.of(1L, 2L), c.node(1).confState().getVotersList());
    assertEquals(0, transferee(c, 1));
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
  }

  /**
   * The leader does not leave an auto-leave joint configuration during a transfer; it retries on a
   * later applied entry. Here the transferee learns the commit of the joint entry together with
   * MsgTimeoutNow and refuses to campaign before applying it, so the transfer times out; abandoning
   * it makes the leader leave the joint configuration at once.
   */
  @Test
  void autoLeaveWaitsForATransferAndIsProposedWhenTheTransferIsAbandoned() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    c.node(1)
        .raw()
        .proposeConfChange(
            auto(
                single(ConfChangeType.ConfChangeAddNode, 4),
                single(ConfChangeType.ConfChangeRemoveNode, 3)));
    commitOnLeaderOnly(c); // the joint entry commits on the leader, unapplied
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(List.of(1L, 2L, 3L), c.node(1).confState().getVotersOutgoingList(), "still joint");
    assertEquals(2, transferee(c, 1));
    assertEquals(
        Role.FOLLOWER, c.node(2).role(), "2 refused MsgTimeoutNow before applying the change");
    c.tick(1, 10);
    assertEquals(0, transferee(c, 1));
    // Abandoning the transfer releases the held-back auto-leave at once, without waiting for
    // another entry to be applied.
    for (long id : new long[] {1, 2, 4}) {
      assertEquals(List.of(1L, 2L, 4L), c.node(id).confState().getVotersList(), "node " + id);
      assertEquals(List.of(), c.node(id).confState().getVotersOutgoingList(), "node " + id);
    }
  }

  /**
   * A transfer that completes while the old leader holds back the auto-leave: the new leader leaves
   * the joint configuration itself once it has applied its first entry.
   */
  @Test
  void aNewLeaderAfterATransferLeavesTheJointConfiguration() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    c.node(1).raw().proposeConfChange(implicit(single(ConfChangeType.ConfChangeAddNode, 4)));
    commitOnLeaderOnly(c);
    c.node(1).raw().transferLeader(2);
    List<Message> out =
        new ArrayList<>(c.collect(1)); // 1 applies the joint entry, holds the leave back
    assertEquals(List.of(1L, 2L, 3L), c.node(1).confState().getVotersOutgoingList());
    out.removeIf(
        m -> m.getTo() == 2 && m.getType() == MessageType.MsgApp); // 2 does not learn the commit
    c.send(out.toArray(new Message[0]));
    assertEquals(Role.LEADER, c.node(2).role());
    for (long id : new long[] {1, 2, 3, 4}) {
      assertEquals(List.of(1L, 2L, 3L, 4L), c.node(id).confState().getVotersList(), "node " + id);
      assertEquals(List.of(), c.node(id).confState().getVotersOutgoingList(), "node " + id);
    }
  }

  /** Delivers the leader's appends to 2 and 3 and their acknowledgements back, nothing else. */
  private static void commitOnLeaderOnly(StepCluster c) {
    for (Message m : c.collect(1)) {
      c.node(m.getTo()).raw().step(m);
    }
    List<Message> acks = new ArrayList<>(c.collect(2));
    acks.addAll(c.collect(3));
    for (Message m : acks) {
      c.node(1).raw().step(m);
    }
  }

  /** An explicit joint configuration survives a transfer; the new leader leaves it when told. */
  @Test
  void anExplicitJointConfigurationSurvivesATransfer() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    c.node(1).raw().proposeConfChange(explicit(single(ConfChangeType.ConfChangeAddNode, 4)));
    c.stabilize();
    assertEquals(List.of(1L, 2L, 3L), c.node(2).confState().getVotersOutgoingList());
    c.node(1).raw().transferLeader(4);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(4).role());
    assertEquals(
        List.of(1L, 2L, 3L),
        c.node(4).confState().getVotersOutgoingList(),
        "explicit joint configurations stay joint across leaders");
    c.node(4).raw().proposeConfChange(leaveJoint());
    c.stabilize();
    assertEquals(List.of(1L, 2L, 3L, 4L), c.node(1).confState().getVotersList());
    assertEquals(List.of(), c.node(1).confState().getVotersOutgoingList());
  }
}

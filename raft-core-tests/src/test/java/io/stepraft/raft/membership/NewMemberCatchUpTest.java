package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.ADD;
import static io.stepraft.raft.membership.Ccs.REMOVE;
import static io.stepraft.raft.membership.Ccs.propose;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a member added to a running cluster gets the state it missed. */
class NewMemberCatchUpTest {
  /**
   * When the leader has compacted the entries a new voter needs, the voter is sent a snapshot
   * (which must hold the configuration that includes it), then the entries after it, and then
   * counts in the quorum.
   */
  @Test
  void aVoterAddedAfterCompactionCatchesUpFromASnapshot() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    StepNode n4 = c.addNode(4);
    c.isolate(4);
    propose(c, 1, v1(ADD, 4));
    StepNode leader = c.node(1);
    long applied = leader.applied().get(leader.applied().size() - 1).getIndex();
    leader.storage().createSnapshot(applied, leader.confState(), ByteString.copyFromUtf8("state"));
    leader.storage().compact(applied);
    c.recover();
    c.recordDelivered(true);
    c.tick(1, 1); // heartbeat: 4 answers, the leader finds its entries compacted
    assertEquals(
        1,
        c.delivered().stream()
            .filter(m -> m.getType() == MessageType.MsgSnap && m.getTo() == 4)
            .count());
    assertEquals(List.of(1L, 2L, 3L, 4L), n4.confState().getVotersList(), "from the snapshot");
    assertEquals(ProgressState.REPLICATE, leader.progress(4).state());
    c.isolate(2);
    c.propose(1, "b");
    assertEquals(List.of("b"), n4.appliedData(), "entries after the snapshot; a came with it");
    assertEquals(
        "b", leader.appliedData().get(leader.appliedData().size() - 1), "1, 3, 4 are a quorum");
  }

  /** Before its addition is applied by the leader, a new node is sent nothing. */
  @Test
  void aNewNodeIsContactedOnlyOnceTheLeaderAppliedItsAddition() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    c.node(1).raw().proposeConfChange(v1(ADD, 4));
    List<Message> out = c.collect(1);
    assertTrue(out.stream().noneMatch(m -> m.getTo() == 4), out.toString());
    c.send(out.toArray(new Message[0]));
    assertEquals(List.of(1L, 2L, 3L, 4L), c.node(4).confState().getVotersList());
  }

  /** A removed node that is added back catches up from where its log diverged. */
  @Test
  void aRemovedNodeAddedBackCatchesUp() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, v1(REMOVE, 3));
    c.propose(1, "while-out");
    propose(c, 1, v1(ADD, 3));
    StepNode n3 = c.node(3);
    assertEquals(List.of("while-out"), n3.appliedData());
    assertEquals(List.of(1L, 2L, 3L), n3.confState().getVotersList());
    c.isolate(2);
    c.propose(1, "b");
    assertEquals(List.of("while-out", "b"), c.node(1).appliedData(), "3 counts again");
  }
}

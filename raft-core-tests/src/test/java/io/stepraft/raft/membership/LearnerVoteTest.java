package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Learners and elections, stepped by hand on one node. */
class LearnerVoteTest {
  private static final ConfState WITH_LEARNER =
      ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).addLearners(4).build();

  /** A learner's granted vote is not tallied: only voters decide an election. */
  @Test
  void aLearnersGrantedVoteDoesNotCount() {
    SoloNode n = SoloNode.fromConfState(1, WITH_LEARNER, b -> b);
    n.raw.campaign();
    List<Message> out = n.cycle();
    assertEquals(
        List.of(2L, 3L), SoloNode.recipients(out, MessageType.MsgVote), "no MsgVote to learner 4");
    n.stepFrom(4, MessageType.MsgVoteResp, 0);
    n.cycle();
    assertEquals(Role.CANDIDATE, n.role(), "own vote + learner's vote is not 2 of 3 voters");
    n.stepFrom(2, MessageType.MsgVoteResp, 0);
    n.cycle();
    assertEquals(Role.LEADER, n.role());
  }

  /**
   * A learner that is asked for its vote answers it like a voter would (as etcd does): it may have
   * been promoted in an entry it has not applied yet, and the candidate only counts voters.
   */
  @Test
  void aLearnerAskedForItsVoteGrantsIt() {
    SoloNode n = SoloNode.fromConfState(4, WITH_LEARNER, b -> b);
    n.raw.step(
        Message.newBuilder()
            .setType(MessageType.MsgVote)
            .setFrom(1)
            .setTo(4)
            .setTerm(2)
            .setIndex(1)
            .setLogTerm(1)
            .build());
    List<Message> out = n.cycle();
    assertEquals(List.of(1L), SoloNode.recipients(out, MessageType.MsgVoteResp));
    assertFalse(out.get(0).getReject());
    assertEquals(1, n.raw.basicStatus().hardState().getVote());
  }

  /** A learner restored from a snapshot never becomes a candidate, even when asked to campaign. */
  @Test
  void aLearnerIgnoresCampaignAndElectionTimeouts() {
    SoloNode n = SoloNode.fromConfState(4, WITH_LEARNER, b -> b);
    n.raw.campaign();
    for (int i = 0; i < 50; i++) {
      n.raw.tick();
    }
    assertEquals(List.of(), n.cycle());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(0, n.term());
  }
}

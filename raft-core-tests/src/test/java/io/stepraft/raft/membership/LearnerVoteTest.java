package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Learners and elections, stepped by hand on one node. */
class LearnerVoteTest {
  private static final ConfState WITH_LEARNER =
      ConfStates.withLearners(ConfStates.voters(1, 2, 3), 4);

  /** A learner's granted vote is not tallied: only voters decide an election. */
  @Test
  void aLearnersGrantedVoteDoesNotCount() {
    StepNode n = Ccs.restored(1, WITH_LEARNER);
    n.raw().campaign();
    List<Message> out = n.drain();
    assertEquals(
        List.of(2L, 3L), Ccs.recipients(out, MessageType.MsgVote), "no MsgVote to learner 4");
    Ccs.stepFrom(n, 4, MessageType.MsgVoteResp, 0);
    n.drain();
    assertEquals(Role.CANDIDATE, n.role(), "own vote + learner's vote is not 2 of 3 voters");
    Ccs.stepFrom(n, 2, MessageType.MsgVoteResp, 0);
    n.drain();
    assertEquals(Role.LEADER, n.role());
  }

  /**
   * A learner that is asked for its vote answers it like a voter would (as etcd does): it may have
   * been promoted in an entry it has not applied yet, and the candidate only counts voters.
   */
  @Test
  void aLearnerAskedForItsVoteGrantsIt() {
    StepNode n = Ccs.restored(4, WITH_LEARNER);
    n.step(Messages.message(MessageType.MsgVote, 1, 4, 2).setIndex(1).setLogTerm(1).build());
    List<Message> out = n.drain();
    assertEquals(List.of(1L), Ccs.recipients(out, MessageType.MsgVoteResp));
    assertFalse(out.get(0).getReject());
    assertEquals(1, n.raw().basicStatus().hardState().getVote());
  }

  /** A learner restored from a snapshot never becomes a candidate, even when asked to campaign. */
  @Test
  void aLearnerIgnoresCampaignAndElectionTimeouts() {
    StepNode n = Ccs.restored(4, WITH_LEARNER);
    n.raw().campaign();
    n.tick(50);
    assertEquals(List.of(), n.drain());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(0, n.term());
  }
}

package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While a configuration is joint, every decision needs a majority of the outgoing voters AND a
 * majority of the incoming voters (Raft thesis §4.3). Node 1 is restored from a snapshot whose
 * configuration is outgoing (1 2 3), incoming (1 4 5); peers' answers are stepped by hand.
 */
class JointQuorumTest {
  private static final ConfState JOINT =
      ConfStates.joint(ConfStates.voters(1, 4, 5), ConfStates.voters(1, 2, 3));

  private static StepNode candidate() {
    StepNode n = Ccs.restored(1, JOINT);
    n.raw().campaign();
    List<Message> out = n.drain(); // persists and counts the own vote
    assertEquals(
        List.of(2L, 3L, 4L, 5L),
        Ccs.recipients(out, MessageType.MsgVote),
        "a joint candidate asks every voter of both halves");
    assertEquals(Role.CANDIDATE, n.role());
    return n;
  }

  private static void grant(StepNode n, long from) {
    Ccs.stepFrom(n, from, MessageType.MsgVoteResp, 0);
    n.drain();
  }

  /** Votes of the whole outgoing half do not elect: the incoming half has only the candidate. */
  @Test
  void votesFromTheOutgoingHalfAloneDoNotWinAJointElection() {
    StepNode n = candidate();
    grant(n, 2);
    grant(n, 3);
    assertEquals(Role.CANDIDATE, n.role(), "3 of 3 outgoing but 1 of 3 incoming");
    grant(n, 4);
    assertEquals(Role.LEADER, n.role(), "now 2 of 3 incoming as well");
  }

  /** Votes of the whole incoming half do not elect: the outgoing half has only the candidate. */
  @Test
  void votesFromTheIncomingHalfAloneDoNotWinAJointElection() {
    StepNode n = candidate();
    grant(n, 4);
    grant(n, 5);
    assertEquals(Role.CANDIDATE, n.role(), "3 of 3 incoming but 1 of 3 outgoing");
    grant(n, 2);
    assertEquals(Role.LEADER, n.role());
  }

  /** Rejections from a majority of one half lose the election even if the other half granted. */
  @Test
  void aMajorityOfRejectionsInOneHalfLosesAJointElection() {
    StepNode n = candidate();
    grant(n, 2);
    grant(n, 3);
    for (long from : new long[] {4, 5}) {
      n.step(Messages.message(MessageType.MsgVoteResp, from, 1, n.term()).setReject(true).build());
    }
    n.drain();
    assertEquals(Role.FOLLOWER, n.role());
  }

  /** An entry acknowledged by the whole outgoing half only is not committed. */
  @Test
  void anEntryAckedOnlyByTheOutgoingHalfIsNotCommitted() {
    StepNode n = leader();
    long emptyEntry = 2; // the new leader's empty entry, after the snapshot at 1
    Ccs.stepFrom(n, 2, MessageType.MsgAppResp, emptyEntry);
    Ccs.stepFrom(n, 3, MessageType.MsgAppResp, emptyEntry);
    n.drain();
    assertEquals(1, n.commit(), "acked by 1 2 3: a majority of (1 2 3) but only 1 of (1 4 5)");
    Ccs.stepFrom(n, 4, MessageType.MsgAppResp, emptyEntry);
    n.drain();
    assertEquals(2, n.commit(), "1 and 4 make the incoming majority");
  }

  /** An entry acknowledged by the whole incoming half only is not committed either. */
  @Test
  void anEntryAckedOnlyByTheIncomingHalfIsNotCommitted() {
    StepNode n = leader();
    Ccs.stepFrom(n, 4, MessageType.MsgAppResp, 2);
    Ccs.stepFrom(n, 5, MessageType.MsgAppResp, 2);
    n.drain();
    assertEquals(1, n.commit());
    Ccs.stepFrom(n, 3, MessageType.MsgAppResp, 2);
    n.drain();
    assertEquals(2, n.commit());
  }

  private static StepNode leader() {
    StepNode n = candidate();
    for (long from : new long[] {2, 3, 4, 5}) {
      grant(n, from);
    }
    assertEquals(Role.LEADER, n.role());
    assertEquals(1, n.commit());
    return n;
  }
}

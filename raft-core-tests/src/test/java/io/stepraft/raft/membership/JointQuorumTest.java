package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While a configuration is joint, every decision needs a majority of the outgoing voters AND a
 * majority of the incoming voters (Raft thesis §4.3). Node 1 is restored from a snapshot whose
 * configuration is outgoing (1 2 3), incoming (1 4 5); peers' answers are stepped by hand.
 */
class JointQuorumTest {
  private static final ConfState JOINT =
      ConfState.newBuilder()
          .addAllVoters(List.of(1L, 4L, 5L))
          .addAllVotersOutgoing(List.of(1L, 2L, 3L))
          .build();

  private static SoloNode candidate() {
    SoloNode n = SoloNode.fromConfState(1, JOINT, b -> b);
    n.raw.campaign();
    List<Message> out = n.cycle(); // persists and counts the own vote
    assertEquals(
        List.of(2L, 3L, 4L, 5L),
        SoloNode.recipients(out, MessageType.MsgVote),
        "a joint candidate asks every voter of both halves");
    assertEquals(Role.CANDIDATE, n.role());
    return n;
  }

  private static void grant(SoloNode n, long from) {
    n.stepFrom(from, MessageType.MsgVoteResp, 0);
    n.cycle();
  }

  /** Votes of the whole outgoing half do not elect: the incoming half has only the candidate. */
  @Test
  void votesFromTheOutgoingHalfAloneDoNotWinAJointElection() {
    SoloNode n = candidate();
    grant(n, 2);
    grant(n, 3);
    assertEquals(Role.CANDIDATE, n.role(), "3 of 3 outgoing but 1 of 3 incoming");
    grant(n, 4);
    assertEquals(Role.LEADER, n.role(), "now 2 of 3 incoming as well");
  }

  /** Votes of the whole incoming half do not elect: the outgoing half has only the candidate. */
  @Test
  void votesFromTheIncomingHalfAloneDoNotWinAJointElection() {
    SoloNode n = candidate();
    grant(n, 4);
    grant(n, 5);
    assertEquals(Role.CANDIDATE, n.role(), "3 of 3 incoming but 1 of 3 outgoing");
    grant(n, 2);
    assertEquals(Role.LEADER, n.role());
  }

  /** Rejections from a majority of one half lose the election even if the other half granted. */
  @Test
  void aMajorityOfRejectionsInOneHalfLosesAJointElection() {
    SoloNode n = candidate();
    grant(n, 2);
    grant(n, 3);
    for (long from : new long[] {4, 5}) {
      n.raw.step(
          Message.newBuilder()
              .setType(MessageType.MsgVoteResp)
              .setFrom(from)
              .setTo(1)
              .setTerm(n.term())
              .setReject(true)
              .build());
    }
    n.cycle();
    assertEquals(Role.FOLLOWER, n.role());
  }

  /** An entry acknowledged by the whole outgoing half only is not committed. */
  @Test
  void anEntryAckedOnlyByTheOutgoingHalfIsNotCommitted() {
    SoloNode n = leader();
    long emptyEntry = 2; // the new leader's empty entry, after the snapshot at 1
    n.stepFrom(2, MessageType.MsgAppResp, emptyEntry);
    n.stepFrom(3, MessageType.MsgAppResp, emptyEntry);
    n.cycle();
    assertEquals(1, n.commit(), "acked by 1 2 3: a majority of (1 2 3) but only 1 of (1 4 5)");
    n.stepFrom(4, MessageType.MsgAppResp, emptyEntry);
    n.cycle();
    assertEquals(2, n.commit(), "1 and 4 make the incoming majority");
  }

  /** An entry acknowledged by the whole incoming half only is not committed either. */
  @Test
  void anEntryAckedOnlyByTheIncomingHalfIsNotCommitted() {
    SoloNode n = leader();
    n.stepFrom(4, MessageType.MsgAppResp, 2);
    n.stepFrom(5, MessageType.MsgAppResp, 2);
    n.cycle();
    assertEquals(1, n.commit());
    n.stepFrom(3, MessageType.MsgAppResp, 2);
    n.cycle();
    assertEquals(2, n.commit());
  }

  private static SoloNode leader() {
    SoloNode n = candidate();
    for (long from : new long[] {2, 3, 4, 5}) {
      grant(n, from);
    }
    assertEquals(Role.LEADER, n.role());
    assertEquals(1, n.commit());
    return n;
  }
}

package io.stepraft.raft.reads;

import static io.stepraft.raft.reads.Reads.ctx;
import static io.stepraft.raft.reads.Reads.heartbeatsWith;
import static io.stepraft.raft.reads.Reads.readState;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ReadIndexDroppedException;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ReadIndex off the leader: forwarding, reads on a brand-new leader, and reads nobody can serve.
 */
class ReadIndexForwardingTest {

  @Test
  void followerForwardsTheReadAndTakesItsReadStateFromTheLeadersResponse() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.recordDelivered(true);
    c.node(2).raw().readIndex(ctx("f1"));
    c.stabilize();
    List<Message> forwarded = ofType(c.delivered(), MessageType.MsgReadIndex);
    assertEquals(1, forwarded.size());
    assertEquals(2, forwarded.get(0).getFrom());
    assertEquals(1, forwarded.get(0).getTo());
    List<Message> answers = ofType(c.delivered(), MessageType.MsgReadIndexResp);
    assertEquals(1, answers.size());
    assertEquals(2, answers.get(0).getTo());
    assertEquals(
        2, heartbeatsWith(c.delivered(), 1).size(), "the leader confirmed with a heartbeat round");
    assertEquals(List.of(readState(5, "f1")), c.node(2).readStates());
    assertTrue(
        c.node(1).readStates().isEmpty(), "the leader answers the follower, not its own host");
  }

  /** Three nodes where node 1 won an election but none of its appends was acknowledged yet. */
  private static StepCluster leaderThatHasNotCommittedInItsTerm() {
    StepCluster c = StepCluster.create(3);
    c.ignore(MessageType.MsgAppResp);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(3, c.node(1).commit(), "the empty entry of term 2 (index 4) is not committed");
    return c;
  }

  @Test
  void readOnANewLeaderWaitsUntilItCommitsAnEntryOfItsTermThenIsAnswered() {
    StepCluster c = leaderThatHasNotCommittedInItsTerm();
    c.node(1).raw().readIndex(ctx("early"));
    List<Message> out = c.collect(1);
    assertTrue(
        heartbeatsWith(out, 1).isEmpty(), "no confirmation round before the first commit: " + out);
    assertTrue(c.node(1).readStates().isEmpty());
    c.recover();
    c.tick(1, 1);
    assertEquals(4, c.node(1).commit());
    assertEquals(
        List.of(readState(4, "early")),
        c.node(1).readStates(),
        "answered at an index that covers the new term's first entry");
  }

  @Test
  void readForwardedToANewLeaderWaitsForItsFirstCommitToo() {
    StepCluster c = leaderThatHasNotCommittedInItsTerm();
    c.node(2).raw().readIndex(ctx("fwd"));
    c.stabilize();
    assertTrue(c.node(2).readStates().isEmpty());
    c.recover();
    c.tick(1, 1);
    assertEquals(List.of(readState(4, "fwd")), c.node(2).readStates());
  }

  @Test
  void newLeaderWhoseCommitIndexLagsNeverAnswersBelowAWriteTheOldLeaderCommitted() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.node(1).raw().propose(ctx("w"));
    List<Message> appends = c.collect(1);
    for (Message m : appends) {
      c.node(m.getTo()).raw().step(m);
    }
    // The followers store "w" and acknowledge it, but never hear that it committed.
    c.cutOneWay(1, 2);
    c.cutOneWay(1, 3);
    c.stabilize();
    assertEquals(
        List.of("a", "w"), c.node(1).appliedData(), "the old leader applied (and acknowledged) w");
    long writeIndex = c.node(1).appliedIndex();
    assertTrue(c.node(2).commit() < writeIndex, "node 2 does not know w is committed");
    c.isolate(1);
    c.ignore(MessageType.MsgAppResp);
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    c.node(2).raw().readIndex(ctx("after-w"));
    c.stabilize();
    assertTrue(c.node(2).readStates().isEmpty(), "a read at the stale commit index would miss w");
    c.recover();
    c.isolate(1);
    c.tick(2, 1);
    assertEquals(1, c.node(2).readStates().size());
    assertTrue(
        c.node(2).readStates().get(0).index() > writeIndex, c.node(2).readStates().toString());
    assertEquals(List.of("a", "w"), c.node(2).appliedData());
  }

  @Test
  void singleVoterAnswersAtOnceWithoutSendingAnything() {
    StepCluster c = StepCluster.create(1);
    c.campaign(1);
    c.propose(1, "a");
    long commit = c.node(1).commit();
    c.node(1).raw().readIndex(ctx("solo"));
    List<Message> out = c.collect(1);
    assertTrue(out.isEmpty(), out.toString());
    assertEquals(List.of(readState(commit, "solo")), c.node(1).readStates());
  }

  @Test
  void followerThatKnowsNoLeaderRefusesALocalReadWithReadIndexDropped() {
    StepCluster c = StepCluster.create(3);
    assertEquals(0, c.node(2).lead());
    assertThrows(ReadIndexDroppedException.class, () -> c.node(2).raw().readIndex(ctx("x")));
    assertTrue(c.collect(2).isEmpty(), "nothing was forwarded");
  }

  @Test
  void candidateAndPreCandidateRefuseALocalReadWithReadIndexDropped() {
    StepCluster c = StepCluster.create(3);
    c.isolate(2);
    c.campaign(2);
    assertEquals(Role.CANDIDATE, c.node(2).role());
    assertThrows(ReadIndexDroppedException.class, () -> c.node(2).raw().readIndex(ctx("x")));

    StepCluster p = StepCluster.create(3, b -> b.preVote(true));
    p.isolate(2);
    p.campaign(2);
    assertEquals(Role.PRE_CANDIDATE, p.node(2).role());
    assertThrows(ReadIndexDroppedException.class, () -> p.node(2).raw().readIndex(ctx("y")));
  }

  @Test
  void aReadForwardedToAFollowerWithoutLeaderIsDroppedSilentlyForTheSenderToTimeOut() {
    StepCluster c = StepCluster.create(3);
    Message fromPeer =
        Message.newBuilder()
            .setType(MessageType.MsgReadIndex)
            .setFrom(3)
            .setTo(2)
            .addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8("z")))
            .build();
    c.node(2).raw().step(fromPeer);
    assertTrue(c.collect(2).isEmpty());
    assertTrue(c.node(2).readStates().isEmpty());
  }

  @Test
  void writeCommittedBeforeAReadBeganIsCoveredByTheReadIndexOnAnyNode() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "w");
    long writeIndex = c.node(1).appliedIndex();
    assertEquals(List.of("w"), c.node(1).appliedData());
    for (long id = 1; id <= 3; id++) {
      c.node(id).raw().readIndex(ctx("after-w-" + id));
      c.stabilize();
      assertEquals(1, c.node(id).readStates().size());
      long readIndex = c.node(id).readStates().get(0).index();
      assertTrue(
          readIndex >= writeIndex,
          "node " + id + " read at " + readIndex + " < write " + writeIndex);
      assertTrue(c.node(id).appliedIndex() >= readIndex, "node " + id + " applied the read index");
      assertEquals(List.of("w"), c.node(id).appliedData(), "node " + id + " sees the write");
    }
  }
}

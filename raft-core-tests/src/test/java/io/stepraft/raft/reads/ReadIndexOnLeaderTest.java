package io.stepraft.raft.reads;

import static io.stepraft.raft.reads.Reads.ctx;
import static io.stepraft.raft.reads.Reads.heartbeatsWith;
import static io.stepraft.raft.reads.Reads.readState;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReadIndex (safe mode) on the leader: a heartbeat round confirms leadership before answering. */
class ReadIndexOnLeaderTest {

  /** Three nodes, leader 1, one write ("a" at index 5) committed everywhere. */
  private static StepCluster leaderWithOneWrite(int n) {
    StepCluster c = StepCluster.create(n);
    c.campaign(1);
    c.propose(1, "a");
    assertEquals(5 + (n - 3), c.node(1).commit());
    return c;
  }

  @Test
  void leaderAnswersOnlyAfterAQuorumAcknowledgesTheHeartbeatCarryingTheContext() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("r1"));
    List<Message> out = c.collect(1);
    List<Message> hbs = heartbeatsWith(out, 1);
    assertEquals(2, hbs.size(), "one heartbeat with the context to each follower: " + out);
    assertTrue(leader.readStates().isEmpty(), "no answer before the heartbeat round");
    c.send(out.toArray(new Message[0]));
    assertEquals(List.of(readState(5, "r1")), leader.readStates());
  }

  @Test
  void readIndexIsTheCommitIndexWhenTheRequestArrivedNotWhenItWasConfirmed() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("r1"));
    List<Message> heartbeats = c.collect(1);
    leader.raw().propose(ctx("b"));
    List<Message> appends = c.collect(1);
    c.send(appends.toArray(new Message[0]));
    assertEquals(6, leader.commit(), "the later write committed before the read was confirmed");
    c.send(heartbeats.toArray(new Message[0]));
    assertEquals(List.of(readState(5, "r1")), leader.readStates());
  }

  @Test
  void oneFollowerAcknowledgingIsAQuorumOfThreeWithTheLeader() {
    StepCluster c = leaderWithOneWrite(3);
    c.cut(1, 3);
    c.node(1).raw().readIndex(ctx("r1"));
    c.stabilize();
    assertEquals(List.of(readState(5, "r1")), c.node(1).readStates());
  }

  @Test
  void withoutAQuorumOfAcknowledgementsTheReadWaitsAndTheNextHeartbeatsCarryItsContext() {
    StepCluster c = leaderWithOneWrite(5);
    c.cut(1, 3);
    c.cut(1, 4);
    c.cut(1, 5);
    c.node(1).raw().readIndex(ctx("r1"));
    c.stabilize();
    assertTrue(c.node(1).readStates().isEmpty(), "leader + node 2 are not a quorum of five");
    c.recover();
    c.cut(1, 5);
    c.recordDelivered(true);
    c.tick(1, 1);
    assertEquals(
        3,
        heartbeatsWith(c.delivered(), 1).size(),
        "the periodic heartbeats repeat the pending context");
    assertEquals(List.of(readState(7, "r1")), c.node(1).readStates());
  }

  @Test
  void severalReadsQueuedBeforeOneRoundAreAllAnsweredInOrderByTheLastAcknowledgement() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("r1"));
    leader.raw().readIndex(ctx("r2"));
    leader.raw().readIndex(ctx("r3"));
    List<Message> out = c.collect(1);
    assertEquals(6, ofType(out, MessageType.MsgHeartbeat).size());
    c.send(heartbeatsWith(out, 3).toArray(new Message[0]));
    assertEquals(
        List.of(readState(5, "r1"), readState(5, "r2"), readState(5, "r3")), leader.readStates());
  }

  @Test
  void acknowledgingAnEarlierContextAnswersOnlyTheReadsUpToIt() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("r1"));
    leader.raw().readIndex(ctx("r2"));
    leader.raw().readIndex(ctx("r3"));
    List<Message> out = c.collect(1);
    c.send(heartbeatsWith(out, 2).toArray(new Message[0]));
    assertEquals(List.of(readState(5, "r1"), readState(5, "r2")), leader.readStates());
    c.send(heartbeatsWith(out, 3).toArray(new Message[0]));
    assertEquals(
        List.of(readState(5, "r1"), readState(5, "r2"), readState(5, "r3")), leader.readStates());
  }

  @Test
  void allAcknowledgementsOfEveryContextStillAnswerEachReadExactlyOnce() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    for (int i = 1; i <= 5; i++) {
      leader.raw().readIndex(ctx("r" + i));
    }
    c.stabilize();
    assertEquals(5, leader.readStates().size(), leader.readStates().toString());
    for (int i = 1; i <= 5; i++) {
      assertEquals(readState(5, "r" + i), leader.readStates().get(i - 1));
    }
  }

  @Test
  void aContextUsedTwiceWhileTheFirstIsPendingIsTwoReadsEachAnsweredOnce() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("dup"));
    leader.raw().readIndex(ctx("dup"));
    c.stabilize();
    assertEquals(
        List.of(readState(5, "dup"), readState(5, "dup")),
        leader.readStates(),
        "the context only names the answer: each request gets its own");
  }

  @Test
  void aContextMayBeReusedOnceItWasAnsweredAndGetsTheNewCommitIndex() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("same"));
    c.stabilize();
    c.propose(1, "b");
    leader.raw().readIndex(ctx("same"));
    c.stabilize();
    assertEquals(List.of(readState(5, "same"), readState(6, "same")), leader.readStates());
  }

  @Test
  void aLateAcknowledgementOfAnAnsweredReadDoesNotConfirmANewerRead() {
    StepCluster c = leaderWithOneWrite(3);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("r1"));
    List<Message> round1 = c.collect(1);
    c.send(round1.toArray(new Message[0]));
    c.propose(1, "b");
    leader.raw().readIndex(ctx("r2"));
    List<Message> round2 = c.collect(1);
    // The followers answer the first round again (a duplicated heartbeat): stale, not for r2.
    c.send(heartbeatsWith(round1, 1).toArray(new Message[0]));
    assertEquals(List.of(readState(5, "r1")), leader.readStates());
    c.send(round2.toArray(new Message[0]));
    assertEquals(List.of(readState(5, "r1"), readState(6, "r2")), leader.readStates());
  }
}

package io.stepraft.raft.reads;

import static io.stepraft.raft.reads.Reads.ctx;
import static io.stepraft.raft.reads.Reads.readState;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.PlantedBugs;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat acknowledgement confirms only the reads queued before the heartbeat it answers was
 * sent, however late or duplicated it arrives and whatever contexts the host used. Each scenario
 * also runs against a core with the read queue stepraft had before (reads keyed by the host's
 * context, {@link PlantedBugs#contextKeyedReads()}), which serves the stale read: so each test is
 * shown to fail on the bug it guards against.
 */
class ReadConfirmationOrderTest {
  private static final Function<Config, RawNode> CORRECT = RawNode::new;
  private static final Function<Config, RawNode> CONTEXT_KEYED = PlantedBugs.contextKeyedReads();

  /** Three nodes without CheckQuorum or PreVote, leader 1 at term 2, "a" committed at index 5. */
  private static StepCluster cluster(Function<Config, RawNode> factory) {
    StepCluster c = StepCluster.create(3, b -> b, factory);
    c.campaign(1);
    c.propose(1, "a");
    assertEquals(5, c.node(1).commit());
    return c;
  }

  /** Steps one message into its recipient and returns what the recipient sends in answer. */
  private static List<Message> deliver(StepCluster c, Message m) {
    c.node(m.getTo()).raw().step(m);
    return c.collect(m.getTo());
  }

  private static Message only(List<Message> msgs, MessageType type, long to) {
    List<Message> found = ofType(msgs, type, to);
    assertEquals(1, found.size(), "one " + type + " to " + to + " in " + msgs);
    return found.get(0);
  }

  /**
   * The scenario. Node 1 leads term 2 and answers the read "A" that node 2 forwarded, after
   * node 2 acknowledged the heartbeat round; node 3's acknowledgement of that round is still in
   * flight. Node 1 is cut off, nodes 2 and 3 elect node 3 in term 3, which commits "b" (index 7).
   * Still believing it leads, node 1 queues a local read "B", then a duplicate of the forwarded
   * "A". Node 3's old acknowledgement arrives: it answers a round sent before "B" was queued, so
   * "B" must stay unanswered (it would read index 5, missing "b").
   */
  private static Outcome staleLeaderScenario(Function<Config, RawNode> factory) {
    StepCluster c = cluster(factory);
    c.node(2).raw().readIndex(ctx("A"));
    Message readA = only(c.collect(2), MessageType.MsgReadIndex, 1);
    List<Message> round = deliver(c, readA);
    Message ack2 =
        only(deliver(c, only(round, MessageType.MsgHeartbeat, 2)), MessageType.MsgHeartbeatResp, 1);
    Message ack3 =
        only(deliver(c, only(round, MessageType.MsgHeartbeat, 3)), MessageType.MsgHeartbeatResp, 1);
    Message answerA = only(deliver(c, ack2), MessageType.MsgReadIndexResp, 2);
    assertEquals(5, answerA.getIndex(), "A is answered at the commit index of its time");

    c.isolate(1);
    c.campaign(3);
    c.propose(3, "b");
    assertEquals(7, c.node(2).commit(), "the new leader committed b");
    assertEquals(Role.LEADER, c.node(1).role(), "node 1 does not know it was deposed");

    c.node(1).raw().readIndex(ctx("B"));
    c.collect(1); // its heartbeats are lost
    deliver(c, readA); // the duplicate of the forwarded read
    List<Message> afterLateAck = deliver(c, ack3);
    return new Outcome(
        c.node(1).readStates(), ofType(afterLateAck, MessageType.MsgReadIndexResp).size());
  }

  /** What the deposed leader answered: its host's read states, and answers to node 2. */
  private record Outcome(List<ReadState> readStates, int forwardedAnswers) {}

  @Test
  void aLateAcknowledgementOfAnEarlierRoundDoesNotConfirmAReadOnADeposedLeader() {
    Outcome o = staleLeaderScenario(CORRECT);
    assertEquals(List.of(), o.readStates(), "B stays unanswered");
    assertEquals(0, o.forwardedAnswers(), "so does node 2's duplicate of A");
  }

  @Test
  void theContextKeyedQueueServesTheStaleReadInThatScenario() {
    Outcome o = staleLeaderScenario(CONTEXT_KEYED);
    assertEquals(
        List.of(readState(5, "B")),
        o.readStates(),
        "the planted bug: a stale read at index 5 after index 7 was committed elsewhere");
    assertEquals(1, o.forwardedAnswers());
  }

  /**
   * A host reuses the context of an answered read. An acknowledgement of the first read's round,
   * arriving late, confirms neither the reused context nor a read queued before it.
   */
  private static List<ReadState> reusedContext(Function<Config, RawNode> factory) {
    StepCluster c = cluster(factory);
    StepNode leader = c.node(1);
    leader.raw().readIndex(ctx("same"));
    List<Message> round1 = c.collect(1);
    Message late =
        only(
            deliver(c, only(round1, MessageType.MsgHeartbeat, 3)), MessageType.MsgHeartbeatResp, 1);
    deliver(
        c,
        only(
            deliver(c, only(round1, MessageType.MsgHeartbeat, 2)),
            MessageType.MsgHeartbeatResp,
            1));
    assertEquals(List.of(readState(5, "same")), leader.readStates());

    leader.raw().readIndex(ctx("other"));
    leader.raw().readIndex(ctx("same"));
    List<Message> round2 = c.collect(1);
    deliver(c, late);
    List<ReadState> afterLate = List.copyOf(leader.readStates());
    c.send(round2.toArray(new Message[0]));
    assertEquals(
        List.of(readState(5, "same"), readState(5, "other"), readState(5, "same")),
        leader.readStates(),
        "a fresh round answers both");
    return afterLate;
  }

  @Test
  void aReusedContextIsConfirmedOnlyByARoundSentAfterItWasQueued() {
    assertEquals(List.of(readState(5, "same")), reusedContext(CORRECT));
  }

  @Test
  void theContextKeyedQueueLetsALateAcknowledgementConfirmTheReusedContext() {
    assertEquals(
        List.of(readState(5, "same"), readState(5, "other"), readState(5, "same")),
        reusedContext(CONTEXT_KEYED));
  }

  /**
   * The network duplicates a forwarded read. The copy that arrives after the first was answered is
   * a read of its own: it gets the commit index of its arrival and is confirmed only by a round
   * sent after it arrived, never by late answers to the first copy's round.
   */
  @Test
  void aDuplicatedForwardedReadIsAnsweredByItsOwnRoundAtItsOwnCommitIndex() {
    StepCluster c = cluster(CORRECT);
    c.node(2).raw().readIndex(ctx("F"));
    Message readF = only(c.collect(2), MessageType.MsgReadIndex, 1);
    List<Message> round1 = deliver(c, readF);
    Message late =
        only(
            deliver(c, only(round1, MessageType.MsgHeartbeat, 3)), MessageType.MsgHeartbeatResp, 1);
    Message first =
        only(
            deliver(
                c,
                only(
                    deliver(c, only(round1, MessageType.MsgHeartbeat, 2)),
                    MessageType.MsgHeartbeatResp,
                    1)),
            MessageType.MsgReadIndexResp,
            2);
    assertEquals(5, first.getIndex());

    c.propose(1, "b");
    assertEquals(6, c.node(1).commit());
    List<Message> round2 = deliver(c, readF);
    assertTrue(
        ofType(deliver(c, late), MessageType.MsgReadIndexResp).isEmpty(),
        "the late answer to the first round confirms nothing queued after it");
    Message ack =
        only(
            deliver(c, only(round2, MessageType.MsgHeartbeat, 3)), MessageType.MsgHeartbeatResp, 1);
    Message second = only(deliver(c, ack), MessageType.MsgReadIndexResp, 2);
    assertEquals(6, second.getIndex(), "the copy reads the commit index of its own arrival");
  }

  /**
   * Node 1 leads term 2, starts a read round and steps down before the answers arrive; it leads
   * again in term 4 and starts another. The answers of term 2, delivered now, confirm nothing: a
   * read is confirmed only by acknowledgements of the term it was queued in.
   */
  @Test
  void acknowledgementsFromAnEarlierTermConfirmNothing() {
    StepCluster c = cluster(CORRECT);
    c.node(1).raw().readIndex(ctx("r1"));
    List<Message> round1 = c.collect(1);
    Message old2 =
        only(
            deliver(c, only(round1, MessageType.MsgHeartbeat, 2)), MessageType.MsgHeartbeatResp, 1);
    Message old3 =
        only(
            deliver(c, only(round1, MessageType.MsgHeartbeat, 3)), MessageType.MsgHeartbeatResp, 1);
    assertEquals(2, old2.getTerm());

    c.campaign(2);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(4, c.node(1).term());
    c.node(1).raw().readIndex(ctx("r2"));
    List<Message> round2 = c.collect(1);
    deliver(c, old2);
    deliver(c, old3);
    // A forged or replayed answer of term 2 naming the new round's context changes nothing either.
    Message hb2 = only(round2, MessageType.MsgHeartbeat, 2);
    deliver(c, old2.toBuilder().setContext(hb2.getContext()).build());
    assertEquals(
        List.of(),
        c.node(1).readStates(),
        "r1 was dropped at the step-down; r2 waits for term 4's round");
    c.send(round2.toArray(new Message[0]));
    assertEquals(List.of(readState(c.node(1).commit(), "r2")), c.node(1).readStates());
  }
}

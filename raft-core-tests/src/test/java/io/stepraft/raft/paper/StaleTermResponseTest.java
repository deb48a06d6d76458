package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.Config;
import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Role;
import io.stepraft.raft.Status;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * §5.1: "Current terms are exchanged whenever servers communicate"; a message of a stale term is
 * ignored, and that holds for responses as much as for requests. A response of an earlier term
 * answers a request sent in another term, about the log of another leader: counting it would commit
 * entries no quorum holds, elect a candidate no quorum chose, or serve a read no quorum confirmed.
 * Each test steps responses of an earlier term that would change something if they counted, checks
 * that nothing changed and nothing is to be persisted or sent, then steps the same responses in the
 * current term to show that they would have.
 */
class StaleTermResponseTest {
  /** What a stale response must leave as it was. */
  private record Observed(BasicStatus basic, Map<Long, PeerProgress> progress, int readStates) {
    static Observed of(StepNode s) {
      Status st = s.raw().status();
      return new Observed(st.basic(), st.progress(), s.readStates().size());
    }
  }

  /**
   * Steps {@code stale} into a node with nothing pending and checks that term, vote, commit, role,
   * leader, applied index, every peer's progress and the read states are as they were, and that the
   * node has nothing to persist or send.
   */
  private static void assertIgnored(StepNode s, Message... stale) {
    assertFalse(s.raw().hasReady(), "setup: drained");
    Observed before = Observed.of(s);
    s.step(stale);
    assertEquals(before, Observed.of(s), "stale responses changed the node");
    assertFalse(s.raw().hasReady(), () -> "stale responses produced " + s.raw().ready());
  }

  /**
   * The leader of term 3 of voters 1..3 whose empty entry 3 is committed by everyone: both
   * followers replicate, caught up at match 3.
   */
  private static StepNode leaderOfTerm3(UnaryOperator<Config.Builder> tweak) {
    StepNode s = Solo.of(Logs.storage(3, 2, 1, 1), tweak);
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 3, false));
    s.drain();
    s.step(Msgs.appResp(2, 3, 3), Msgs.appResp(3, 3, 3));
    s.drain();
    assertEquals(Role.LEADER, s.role(), "setup");
    assertEquals(3, s.commit(), "setup");
    assertEquals(3, s.progress(2).match(), "setup");
    return s;
  }

  /** {@link #leaderOfTerm3} that then appended and sent entries 4 and 5, acknowledged by no one. */
  private static StepNode leaderOfTerm3WithTail(UnaryOperator<Config.Builder> tweak) {
    StepNode s = leaderOfTerm3(tweak);
    s.raw().propose(bytes("x"));
    s.raw().propose(bytes("y"));
    s.drain();
    assertEquals(5, s.storage().lastIndex(), "setup");
    return s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A leader of term 3 with an uncommitted tail hears a term-2 acknowledgement of its last index
   * (the follower's log under the term-2 leader reached index 5, with other entries): the commit
   * index and the follower's progress stay as they were.
   */
  @Test
  void staleAcknowledgementOfTheLastIndexDoesNotCommitTheLeadersTail() {
    StepNode s = leaderOfTerm3WithTail(b -> b);
    assertIgnored(s, Msgs.appResp(2, 2, 5));
    assertEquals(3, s.commit());
    s.step(Msgs.appResp(2, 3, 5));
    s.drain();
    assertEquals(5, s.commit(), "the same acknowledgement in the leader's term commits the tail");
  }

  /**
   * A term-2 rejection neither moves the follower's next index back nor makes the leader probe it.
   */
  @Test
  void staleAppendRejectionLeavesTheFollowersProgressAlone() {
    StepNode s = leaderOfTerm3WithTail(b -> b);
    PeerProgress before = s.progress(2);
    assertEquals(ProgressState.REPLICATE, before.state(), "setup");
    assertIgnored(s, Msgs.appReject(2, 2, 5, 2, 1));
    s.step(Msgs.appReject(2, 3, 5, 2, 1));
    List<Message> out = s.drain();
    assertEquals(
        ProgressState.PROBE, s.progress(2).state(), "the same rejection in the leader's term");
    assertEquals(1, Messages.ofType(out, MessageType.MsgApp).size(), out.toString());
  }

  /**
   * A term-2 heartbeat response from a follower that lacks the tail neither triggers an append nor
   * touches its progress.
   */
  @Test
  void staleHeartbeatResponseSendsNoAppend() {
    StepNode s = leaderOfTerm3WithTail(b -> b);
    assertIgnored(s, Msgs.heartbeatResp(2, 2));
    s.step(Msgs.heartbeatResp(2, 3));
    List<Message> out = s.drain();
    assertEquals(
        1,
        Messages.ofType(out, MessageType.MsgApp).size(),
        "the same response in the leader's term: " + out);
  }

  /**
   * §6.2 (CheckQuorum): a leader that hears only term-2 heartbeat responses for a whole election
   * timeout has not heard from a quorum of its term, and steps down.
   */
  @Test
  void staleHeartbeatResponsesDoNotKeepACheckQuorumLeaderInPower() {
    assertEquals(Role.FOLLOWER, roleAfterTwoQuorumChecksHearing(2));
    assertEquals(
        Role.LEADER, roleAfterTwoQuorumChecksHearing(3), "the same responses in the leader's term");
  }

  /**
   * The role of a CheckQuorum leader of term 3 that hears only heartbeat responses of {@code term}
   * for 20 ticks.
   */
  private static Role roleAfterTwoQuorumChecksHearing(long term) {
    StepNode s = leaderOfTerm3WithTail(b -> b.checkQuorum(true));
    for (int tick = 0; tick < 20; tick++) {
      s.step(Msgs.heartbeatResp(2, term), Msgs.heartbeatResp(3, term));
      s.tick(1);
      s.drain();
    }
    return s.role();
  }

  /**
   * ReadIndex (§6.4): a read waits for a quorum of the leader's term to answer its heartbeat round.
   * Term-2 responses carrying the read's context confirm nothing: no read state. (The followers are
   * caught up, so a response has nothing else to trigger.)
   */
  @Test
  void staleHeartbeatResponsesWithAReadContextConfirmNoRead() {
    StepNode s = leaderOfTerm3(b -> b);
    s.raw().readIndex(bytes("r1"));
    List<Message> round = s.drain();
    List<Message> heartbeats = Messages.ofType(round, MessageType.MsgHeartbeat);
    assertEquals(
        2, heartbeats.stream().filter(m -> !m.getContext().isEmpty()).count(), "setup: " + round);
    ByteString context = heartbeats.get(0).getContext();
    assertIgnored(s, Msgs.heartbeatResp(2, 2, context), Msgs.heartbeatResp(3, 2, context));
    s.step(Msgs.heartbeatResp(2, 3, context));
    s.drain();
    assertEquals(
        List.of(new ReadState(3, bytes("r1"))),
        s.readStates(),
        "the same response in the leader's term");
  }

  /** A candidate of term 5 granted votes of term 4 by a quorum has not won term 5. */
  @Test
  void staleVoteGrantsFromAQuorumDoNotElectACandidate() {
    StepNode s = campaignIgnoringTerm4Answers(false, false);
    s.step(Msgs.voteResp(2, 5, false));
    s.drain();
    assertEquals(Role.LEADER, s.role(), "one grant of term 5 elects it");
  }

  /** A candidate of term 5 rejected by a quorum in term 4 has not lost term 5. */
  @Test
  void staleVoteRejectionsFromAQuorumDoNotEndACandidacy() {
    StepNode s = campaignIgnoringTerm4Answers(false, true);
    s.step(Msgs.voteResp(2, 5, true), Msgs.voteResp(3, 5, true));
    s.drain();
    assertEquals(Role.FOLLOWER, s.role(), "rejections of term 5 end it");
  }

  /**
   * PreVote (§9.6): a pre-candidate at term 5 asks for term 6. Pre-votes granted for term 4 (an
   * earlier pre-campaign's) by a quorum do not start an election.
   */
  @Test
  void stalePreVoteGrantsFromAQuorumDoNotStartAnElection() {
    StepNode s = campaignIgnoringTerm4Answers(true, false);
    s.step(Msgs.preVoteResp(2, 6, false));
    s.drain();
    assertEquals(Role.CANDIDATE, s.role(), "a grant for term 6 starts the election");
    assertEquals(6, s.term());
  }

  /** Pre-vote rejections of an earlier term do not end a pre-campaign. */
  @Test
  void stalePreVoteRejectionsFromAQuorumDoNotEndAPreCampaign() {
    StepNode s = campaignIgnoringTerm4Answers(true, true);
    s.step(Msgs.preVoteResp(2, 5, true), Msgs.preVoteResp(3, 5, true));
    s.drain();
    assertEquals(Role.FOLLOWER, s.role(), "rejections of the current term end it");
  }

  /**
   * Node 1 of voters 1..3 campaigning at term 5 (a candidate of term 5 or, with PreVote, a
   * pre-candidate at term 5 asking for term 6) gets answers of term 4 from both peers, all granting
   * or all rejecting; they leave the campaign as it was.
   */
  private static StepNode campaignIgnoringTerm4Answers(boolean preVote, boolean reject) {
    StepNode s = Solo.of(Logs.storage(3, preVote ? 5 : 4, 1, 1), b -> b.preVote(preVote));
    s.raw().campaign();
    s.drain();
    assertEquals(preVote ? Role.PRE_CANDIDATE : Role.CANDIDATE, s.role(), "setup");
    assertEquals(5, s.term(), "setup");
    if (preVote) {
      assertIgnored(s, Msgs.preVoteResp(2, 4, reject), Msgs.preVoteResp(3, 4, reject));
    } else {
      assertIgnored(s, Msgs.voteResp(2, 4, reject), Msgs.voteResp(3, 4, reject));
    }
    return s;
  }

  /**
   * A follower of term 3 forwarded a read to its leader. A read index answered in term 2 (by a
   * leader of term 2, which may have been deposed without knowing it) produces no read state.
   */
  @Test
  void staleReadIndexResponseProducesNoReadState() {
    StepNode s = Solo.of(Logs.storage(3, 3, 1, 1));
    s.step(Msgs.heartbeat(2, 3, 1));
    s.drain();
    s.raw().readIndex(bytes("r1"));
    List<Message> out = s.drain();
    assertEquals(
        1, Messages.ofType(out, MessageType.MsgReadIndex).size(), "setup: forwarded " + out);
    assertIgnored(s, Msgs.readIndexResp(2, 2, 2, "r1"));
    s.step(Msgs.readIndexResp(2, 3, 2, "r1"));
    s.drain();
    assertEquals(
        List.of(new ReadState(2, bytes("r1"))),
        s.readStates(),
        "the same answer in the current term");
  }
}

package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §5.2 Leader election: becoming a candidate, winning or losing, and voting. */
class PaperElectionTest {

  /** §5.2: "When servers start up, they begin as followers." No leader is known yet. */
  @Test
  void serversStartAsFollowersWithoutLeader() {
    StepCluster c = StepCluster.create(3);
    for (StepNode n : c.nodes().values()) {
      assertEquals(Role.FOLLOWER, n.role(), "node " + n.id());
      assertEquals(0, n.lead(), "node " + n.id());
      assertEquals(1, n.term(), "node " + n.id());
    }
  }

  /**
   * §5.2: "If a follower receives no communication over a period of time called the election
   * timeout, then it ... begins an election ... a follower increments its current term and
   * transitions to candidate state. It then votes for itself and issues RequestVote RPCs in
   * parallel to each of the other servers." The term and vote are persisted before the requests go
   * out.
   */
  @Test
  void followerThatTimesOutBecomesCandidateAndRequestsVotes() {
    StepNode s = Solo.follower(3);
    s.tick(20);
    assertEquals(Role.CANDIDATE, s.role());
    assertEquals(2, s.term());
    assertEquals(Solo.ID, s.vote());
    List<Message> out = s.drain();
    HardState persisted = s.storage().initialState().hardState();
    assertEquals(2, persisted.getTerm());
    assertEquals(Solo.ID, persisted.getVote());
    for (long to = 2; to <= 3; to++) {
      Message v = Msgs.only(out, MessageType.MsgVote, to);
      assertEquals(2, v.getTerm());
      assertEquals(1, v.getIndex(), "last log index");
      assertEquals(1, v.getLogTerm(), "last log term");
    }
  }

  private record VoteCase(int size, Map<Long, Boolean> granted, Role expected) {}

  /**
   * §5.2: "A candidate wins an election if it receives votes from a majority of the servers in the
   * full cluster for the same term." A majority of rejections makes it a follower; otherwise it
   * waits as a candidate.
   */
  @Test
  void candidateWinsWithVotesFromMajority() {
    List<VoteCase> cases =
        List.of(
            new VoteCase(1, Map.of(), Role.LEADER),
            new VoteCase(3, Map.of(2L, true, 3L, true), Role.LEADER),
            new VoteCase(3, Map.of(2L, true), Role.LEADER),
            new VoteCase(3, Map.of(2L, true, 3L, false), Role.LEADER),
            new VoteCase(5, Map.of(2L, true, 3L, true, 4L, true, 5L, true), Role.LEADER),
            new VoteCase(5, Map.of(2L, true, 3L, true), Role.LEADER),
            new VoteCase(5, Map.of(2L, true, 3L, false, 4L, true), Role.LEADER),
            new VoteCase(3, Map.of(2L, false, 3L, false), Role.FOLLOWER),
            new VoteCase(5, Map.of(2L, false, 3L, false, 4L, false), Role.FOLLOWER),
            new VoteCase(5, Map.of(2L, true, 3L, false, 4L, false, 5L, false), Role.FOLLOWER),
            new VoteCase(3, Map.of(), Role.CANDIDATE),
            new VoteCase(3, Map.of(2L, false), Role.CANDIDATE),
            new VoteCase(5, Map.of(2L, true), Role.CANDIDATE),
            new VoteCase(5, Map.of(2L, false, 3L, false), Role.CANDIDATE),
            new VoteCase(5, Map.of(2L, true, 3L, false, 4L, false), Role.CANDIDATE));
    for (VoteCase tc : cases) {
      StepNode s = Solo.follower(tc.size());
      s.raw().campaign();
      s.drain(); // the candidate's own vote counts once it is durable
      for (long id = 2; id <= tc.size(); id++) {
        Boolean g = tc.granted().get(id);
        if (g != null) {
          s.step(Msgs.voteResp(id, 2, !g));
        }
      }
      assertEquals(tc.expected(), s.role(), tc.toString());
      assertEquals(2, s.term(), tc.toString());
    }
  }

  /**
   * §5.2: "Once a candidate wins an election, it becomes leader. It then sends heartbeat messages
   * to all of the other servers to establish its authority." Here that is an AppendEntries with an
   * entry of the new term, which also lets the leader commit (§5.4.2).
   */
  @Test
  void newLeaderAssertsAuthorityToEveryServer() {
    StepNode s = Solo.follower(3);
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 2, false));
    List<Message> out = s.drain();
    for (long to = 2; to <= 3; to++) {
      Message app = Msgs.only(out, MessageType.MsgApp, to);
      assertEquals(2, app.getTerm());
      assertEquals(1, app.getEntriesCount());
      assertEquals(2, app.getEntries(0).getTerm());
    }
  }

  /** §5.2: a single-server cluster elects itself: its own vote is a majority. */
  @Test
  void singleServerElectsItselfAfterElectionTimeout() {
    StepCluster c = StepCluster.create(1);
    c.tickAll(20);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(2, c.node(1).term());
  }

  /**
   * §5.2: "Each server will vote for at most one candidate in a given term, on a
   * first-come-first-served basis." A server that voted grants only the same candidate again.
   */
  @Test
  void serverVotesForAtMostOneCandidatePerTerm() {
    long[][] cases = {{0, 2, 1}, {2, 2, 1}, {3, 2, 0}, {0, 3, 1}, {2, 3, 0}, {3, 3, 1}};
    for (long[] tc : cases) {
      long priorVote = tc[0];
      long candidate = tc[1];
      boolean granted = tc[2] == 1;
      StepNode s = Solo.of(withVote(Logs.storage(3, 2, 1), priorVote));
      s.step(Msgs.vote(candidate, 2, 1, 1));
      Message resp = Msgs.only(s.drain(), MessageType.MsgVoteResp, candidate);
      String what = "voted " + priorVote + ", request from " + candidate;
      assertEquals(!granted, resp.getReject(), what);
      assertEquals(granted ? candidate : priorVote, s.vote(), what);
    }
  }

  private static MemoryStorage withVote(MemoryStorage s, long vote) {
    HardState hs = s.initialState().hardState();
    s.setHardState(hs.toBuilder().setVote(vote).build());
    return s;
  }

  /** §5.2: first come, first served: the first of two candidates of a term gets the vote. */
  @Test
  void firstCandidateToAskGetsTheVote() {
    StepNode s = Solo.follower(3);
    s.step(Msgs.vote(2, 2, 1, 1));
    assertFalse(Msgs.only(s.drain(), MessageType.MsgVoteResp, 2).getReject());
    s.step(Msgs.vote(3, 2, 1, 1));
    assertTrue(Msgs.only(s.drain(), MessageType.MsgVoteResp, 3).getReject());
    s.step(Msgs.vote(2, 2, 1, 1));
    assertFalse(
        Msgs.only(s.drain(), MessageType.MsgVoteResp, 2).getReject(),
        "a retried request is granted again");
    assertEquals(2, s.vote());
  }

  /**
   * §5.2: "If the leader's term ... is at least as large as the candidate's current term, then the
   * candidate recognizes the leader as legitimate and returns to follower state."
   */
  @Test
  void candidateReturnsToFollowerOnAppendFromLegitimateLeader() {
    for (long term : new long[] {2, 3}) {
      for (MessageType t : List.of(MessageType.MsgApp, MessageType.MsgHeartbeat)) {
        StepNode s = Solo.follower(3);
        s.raw().campaign();
        s.drain();
        assertEquals(Role.CANDIDATE, s.role());
        s.step(t == MessageType.MsgApp ? Msgs.app(2, term, 1, 1, 1) : Msgs.heartbeat(2, term, 1));
        assertEquals(Role.FOLLOWER, s.role(), t + " at term " + term);
        assertEquals(term, s.term(), t + " at term " + term);
        assertEquals(2, s.lead(), t + " at term " + term);
      }
    }
  }

  /**
   * §5.2: "If the term in the RPC is smaller than the candidate's current term, then the candidate
   * rejects the RPC and continues in candidate state."
   */
  @Test
  void candidateRejectsAppendOfSmallerTermAndStaysCandidate() {
    StepNode s = Solo.of(Logs.storage(3, 2, 1));
    s.raw().campaign();
    s.drain();
    s.step(Msgs.app(2, 2, 1, 1, 1), Msgs.heartbeat(2, 2, 1));
    assertEquals(Role.CANDIDATE, s.role());
    assertEquals(3, s.term());
    assertEquals(Logs.list(1), Logs.terms(s.storage()));
  }

  /**
   * §5.2: "If many followers become candidates at the same time, votes could be split so that no
   * candidate obtains a majority. When this happens, each candidate will time out and start a new
   * election by incrementing its term and initiating another round of RequestVote RPCs."
   */
  @Test
  void candidateWithoutMajorityTimesOutAndStartsNewElection() {
    StepNode s = Solo.follower(3);
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 2, true));
    assertEquals(Role.CANDIDATE, s.role());
    s.tick(20);
    assertEquals(Role.CANDIDATE, s.role());
    assertEquals(3, s.term());
    List<Message> out = s.drain();
    for (long to = 2; to <= 3; to++) {
      assertEquals(3, Msgs.only(out, MessageType.MsgVote, to).getTerm());
    }
  }

  /**
   * §5.2: a split vote in a real cluster: two candidates of the same term get two votes each out of
   * four, neither wins, and a later election (a new term) elects exactly one leader.
   */
  @Test
  void splitVoteIsResolvedByLaterElection() {
    StepCluster c = StepCluster.create(4);
    c.cut(1, 2);
    c.cut(1, 4);
    c.cut(2, 3);
    c.node(1).raw().campaign();
    c.node(2).raw().campaign();
    c.stabilize();
    assertEquals(Role.CANDIDATE, c.node(1).role());
    assertEquals(Role.CANDIDATE, c.node(2).role());
    assertEquals(2, c.node(1).term());
    assertEquals(2, c.node(2).term());
    c.recover();
    c.tickAll(40);
    long leader = c.leader();
    assertTrue(leader != 0, "a leader was elected");
    assertTrue(c.node(leader).term() >= 3, "in a later term: " + c.node(leader).term());
    long leaders = c.nodes().values().stream().filter(n -> n.role() == Role.LEADER).count();
    assertEquals(1, leaders);
  }

  /**
   * §5.2: "Leaders send periodic heartbeats ... to all followers in order to maintain their
   * authority": every heartbeat timeout and not more often.
   */
  @Test
  void leaderSendsHeartbeatEveryHeartbeatTimeout() {
    StepNode s = Solo.of(Logs.storage(3, 1, 1), b -> b.heartbeatTicks(3));
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 2, false));
    s.drain();
    for (int round = 0; round < 4; round++) {
      for (int i = 1; i <= 3; i++) {
        s.tick(1);
        List<Message> beats = Messages.ofType(s.drain(), MessageType.MsgHeartbeat);
        assertEquals(i == 3 ? 2 : 0, beats.size(), "round " + round + " tick " + i);
        beats.forEach(b -> assertEquals(2, b.getTerm()));
      }
    }
  }

  /**
   * §5.2: "A server remains in follower state as long as it receives valid RPCs from a leader or
   * candidate": each heartbeat restarts the election timeout; without them it times out.
   */
  @Test
  void heartbeatsResetFollowerElectionTimeout() {
    StepNode s = Solo.follower(3);
    for (int i = 0; i < 100; i++) {
      s.tick(1);
      s.step(Msgs.heartbeat(2, 1, 1));
    }
    assertEquals(Role.FOLLOWER, s.role());
    assertEquals(1, s.term());
    s.tick(20);
    assertEquals(Role.CANDIDATE, s.role());
  }

  /** §5.2: in a cluster, a heartbeating leader keeps its leadership and the term stays put. */
  @Test
  void leaderKeepsLeadershipWhileHeartbeating() {
    StepCluster c = StepCluster.create(5);
    c.campaign(1);
    c.tickAll(200);
    assertEquals(1, c.leader());
    for (StepNode n : c.nodes().values()) {
      assertEquals(2, n.term(), "node " + n.id());
      assertEquals(1, n.lead(), "node " + n.id());
    }
  }
}

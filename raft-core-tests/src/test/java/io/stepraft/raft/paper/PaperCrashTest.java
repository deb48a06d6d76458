package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * §5.5 Follower and candidate crashes: "If a follower or candidate crashes, then future RequestVote
 * and AppendEntries RPCs sent to it will fail. Raft handles these failures by retrying
 * indefinitely; if the crashed server restarts, then the RPC will complete successfully." Also the
 * durable state of Figure 2 that makes restarts safe.
 */
class PaperCrashTest {

  /**
   * §5.5: a lost AppendEntries is retried: the follower's answer to the next heartbeat shows the
   * leader it is behind, and the leader sends the entry again.
   */
  @Test
  void leaderRetriesLostAppendEntriesAfterHeartbeat() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.drop(1, 3, 1.0);
    c.propose(1, "x");
    assertEquals(List.of("x"), c.node(2).appliedData());
    assertEquals(List.of(), c.node(3).appliedData());
    c.recover();
    c.tick(1, 1);
    assertEquals(List.of("x"), c.node(3).appliedData());
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.5: "Raft handles these failures by retrying indefinitely": a follower that was down while
   * many entries were committed and many heartbeats were lost catches up once it is back.
   */
  @Test
  void unreachableFollowerCatchesUpWhenReachableAgain() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(3);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      c.propose(1, "p" + i);
      expected.add("p" + i);
      c.tick(1, 3); // node 3 is down: it does not tick
      c.tick(2, 3);
    }
    assertEquals(Role.LEADER, c.node(1).role(), "heartbeats kept node 2 from campaigning");
    assertEquals(List.of(), c.node(3).appliedData());
    c.recover();
    c.tick(1, 2);
    assertEquals(expected, c.node(3).appliedData());
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.5: "if the crashed server restarts, then the RPC will complete successfully": a follower
   * that crashed, missed entries, and restarted from its storage catches up with the leader.
   */
  @Test
  void restartedFollowerCatchesUp() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "before");
    c.isolate(3);
    c.propose(1, "during");
    c.node(3).restart();
    c.recover();
    c.tick(1, 1);
    c.propose(1, "after");
    assertEquals(List.of("before", "during", "after"), c.node(3).appliedData());
    assertEquals(c.node(1).commit(), c.node(3).commit());
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * Figure 2 "persistent state on all servers (updated on stable storage before responding to
   * RPCs)": currentTerm, votedFor and log[] survive a crash, and a restarted server carries on from
   * them.
   */
  @Test
  void restartedServerKeepsTermVoteAndLog() {
    StepNode s = Solo.follower(3);
    s.step(Msgs.vote(2, 2, 1, 1));
    s.step(Msgs.app(2, 2, 1, 1, 2, Entries.labeled(2, 2), Entries.labeled(3, 2)));
    s.drain();
    List<Entry> log = s.log();
    s.restart();
    assertEquals(2, s.term());
    assertEquals(2, s.vote());
    assertEquals(2, s.commit());
    assertEquals(Role.FOLLOWER, s.role());
    s.step(Msgs.app(2, 2, 3, 2, 3));
    Message resp = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
    assertFalse(resp.getReject(), "the log after restart still matches the leader's");
    assertEquals(log, s.log());
    assertEquals(3, s.commit());
  }

  /**
   * §5.5 with §5.2: a candidate that crashes after voting for itself and restarts remembers the
   * vote, so it does not vote for another candidate in the same term.
   */
  @Test
  void restartedCandidateDoesNotVoteTwiceInItsTerm() {
    StepNode s = Solo.follower(3);
    s.raw().campaign();
    s.drain();
    HardState persisted = s.storage().initialState().hardState();
    assertEquals(Solo.ID, persisted.getVote());
    s.restart();
    assertEquals(Role.FOLLOWER, s.role());
    s.step(Msgs.vote(3, 2, 5, 2));
    assertTrue(Msgs.only(s.drain(), MessageType.MsgVoteResp, 3).getReject());
    assertEquals(Solo.ID, s.vote());
  }

  /**
   * §5.5: "Raft RPCs are idempotent, so this causes no harm. For example, if a follower receives an
   * AppendEntries request that includes log entries already present in its log, it ignores those
   * entries in the new request." The duplicate is acknowledged again and changes nothing.
   */
  @Test
  void duplicateAppendEntriesIsHarmless() {
    StepNode s = Solo.follower(3);
    Message app = Msgs.app(2, 1, 1, 1, 2, Entries.labeled(2, 1), Entries.labeled(3, 1));
    s.step(app);
    Message first = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
    List<Entry> log = s.log();
    s.step(app);
    Message second = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
    assertFalse(first.getReject());
    assertFalse(second.getReject(), "the duplicate is acknowledged again");
    assertEquals(3, first.getIndex());
    assertTrue(
        second.getIndex() >= 2, "acknowledges at least the committed prefix: " + second.getIndex());
    assertEquals(log, s.log());
    assertEquals(List.of(Entries.labeled(2, 1)), s.applied(), "entry 2 is applied once");
  }

  /**
   * §5.5: a duplicated RequestVote is answered the same way: the vote already cast is repeated, not
   * counted twice and not withdrawn.
   */
  @Test
  void duplicateRequestVoteIsAnsweredAlike() {
    StepNode s = Solo.follower(3);
    s.step(Msgs.vote(2, 2, 1, 1));
    Message first = Msgs.only(s.drain(), MessageType.MsgVoteResp, 2);
    s.step(Msgs.vote(2, 2, 1, 1));
    Message second = Msgs.only(s.drain(), MessageType.MsgVoteResp, 2);
    assertFalse(first.getReject());
    assertEquals(first, second);
    assertEquals(2, s.vote());
  }

  /**
   * §5.5 and §5.2: when the leader crashes the others elect a new leader after an election timeout;
   * the old leader restarts as a follower and learns the entries committed meanwhile.
   */
  @Test
  void crashedLeaderIsReplacedAndRejoinsAsFollower() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.isolate(1);
    c.tickAll(40);
    long leader = otherLeader(c);
    assertNotEquals(0, leader, "nodes 2 and 3 elected a leader");
    c.propose(leader, "b");
    c.node(1).restart();
    c.recover();
    c.tickAll(2);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(leader, c.node(1).lead());
    assertEquals(List.of("a", "b"), c.node(1).appliedData());
    LogAssertions.assertLogsAgree(c);
  }

  private static long otherLeader(StepCluster c) {
    for (StepNode n : c.nodes().values()) {
      if (n.id() != 1 && n.role() == Role.LEADER) {
        return n.id();
      }
    }
    return 0;
  }

  /**
   * §5.5: with links that lose half of all messages, retries still get every committed entry to
   * every server.
   */
  @Test
  void lossyNetworkStillReplicatesEverything() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    for (long a = 1; a <= 3; a++) {
      for (long b = 1; b <= 3; b++) {
        if (a != b) {
          c.drop(a, b, 0.5);
        }
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long leader = c.leader();
      if (leader != 0) {
        c.propose(leader, "p" + i);
        expected.add("p" + i);
      }
      c.tickAll(1);
    }
    c.recover();
    c.tickAll(30);
    List<String> reference = c.node(c.leader()).appliedData();
    assertTrue(!reference.isEmpty(), "something was committed");
    for (StepNode n : c.nodes().values()) {
      assertEquals(reference, n.appliedData(), "node " + n.id());
    }
    assertTrue(expected.containsAll(reference), "only proposed data is applied: " + reference);
    LogAssertions.assertLogsAgree(c);
  }
}

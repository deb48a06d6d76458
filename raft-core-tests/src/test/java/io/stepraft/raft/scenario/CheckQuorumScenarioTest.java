package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static io.stepraft.raft.testing.Messages.message;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * CheckQuorum: a leader steps down when a quorum was not active during an election timeout, and a
 * follower that heard from its leader within the minimum election timeout (its lease) neither
 * raises its term nor grants its vote to a candidate (Raft thesis §6.2).
 */
class CheckQuorumScenarioTest {

  private static StepCluster checkQuorumCluster() {
    return StepCluster.create(3, b -> b.checkQuorum(true));
  }

  /** Ticks the given nodes in turn, one tick each per round, stabilizing after every tick. */
  private static void tickEach(StepCluster c, int rounds, long... ids) {
    for (int i = 0; i < rounds; i++) {
      for (long id : ids) {
        c.tick(id, 1);
      }
    }
  }

  /**
   * A leader that hears from no quorum steps down: peers seen in the previous period still count in
   * the first check, so it leads through one election timeout and is a follower after two.
   */
  @Test
  void leaderStepsDownWhenItHearsFromNoQuorumWithinAnElectionTimeout() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(1);
    c.tick(1, 10);
    assertEquals(Role.LEADER, c.node(1).role(), "the peers were active in the first period");
    c.tick(1, 10);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(term, c.node(1).term(), "stepping down does not change the term");
    assertEquals(0, c.node(1).lead());
  }

  /** A leader that hears from a quorum keeps leading at the same term, even with a peer lost. */
  @Test
  void leaderWithAnActiveQuorumKeepsLeading() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(3);
    c.tickAll(100);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(term, c.node(1).term());
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
  }

  /** A follower in lease ignores a MsgVote of a higher term: no response, no term change. */
  @Test
  void followerInLeaseIgnoresAVoteRequestOfAHigherTerm() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(2).term();
    long last = c.node(2).storage().lastIndex();

    c.node(2)
        .raw()
        .step(message(MessageType.MsgVote, 3, 2, term + 1).setIndex(last).setLogTerm(term).build());
    List<Message> out = c.collect(2);
    assertTrue(
        ofType(out, MessageType.MsgVoteResp, 2, 3).isEmpty(),
        "a follower in lease answered: " + out);
    assertEquals(term, c.node(2).term());
    assertEquals(1, c.node(2).lead());
    assertEquals(1, c.node(2).raw().basicStatus().hardState().getVote());
  }

  /** The leader itself is in lease too: a higher-term vote request does not depose it. */
  @Test
  void leaderWithCheckQuorumIgnoresAVoteRequestOfAHigherTerm() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(1).term();
    long last = c.node(1).storage().lastIndex();

    c.node(1)
        .raw()
        .step(message(MessageType.MsgVote, 3, 1, term + 1).setIndex(last).setLogTerm(term).build());
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(term, c.node(1).term());
  }

  /**
   * Once the followers have not heard from the leader for an election timeout their lease is over:
   * the first to time out asks for votes and the other grants it.
   */
  @Test
  void afterTheLeaseExpiresFollowersGrantVotesAndElectANewLeader() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(1);
    tickEach(c, 60, 2, 3);
    long leader = c.leader();
    assertTrue(leader == 2 || leader == 3, "no new leader: " + leader);
    assertTrue(c.node(leader).term() > term);
    c.propose(leader, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
    assertEquals(List.of("a"), c.node(3).appliedData());
  }

  /** A follower told to forget its leader is out of lease at once and grants an up-to-date vote. */
  @Test
  void followerThatForgotItsLeaderGrantsAVoteInsideTheLease() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(2).term();
    long last = c.node(2).storage().lastIndex();
    c.node(2).raw().forgetLeader();
    assertEquals(0, c.node(2).lead());

    c.node(2)
        .raw()
        .step(message(MessageType.MsgVote, 3, 2, term + 1).setIndex(last).setLogTerm(term).build());
    List<Message> resp = ofType(c.collect(2), MessageType.MsgVoteResp, 2, 3);
    assertEquals(1, resp.size());
    assertFalse(resp.get(0).getReject(), "the vote should be granted");
    assertEquals(term + 1, c.node(2).term());
    assertEquals(3, c.node(2).raw().basicStatus().hardState().getVote());
  }

  /**
   * A leader cut off while the others elected a new one sends a heartbeat at its stale term; the
   * followers answer with a MsgAppResp at the current term, and the stale leader steps down.
   */
  @Test
  void staleLeaderLearnsTheNewTermFromHeartbeatResponsesAndStepsDown() {
    staleLeaderStepsDownOnHeartbeat(b -> b.checkQuorum(true));
  }

  /** PreVote alone also answers a stale leader's heartbeat: the others never adopt its term. */
  @Test
  void withPreVoteAStaleLeaderAlsoLearnsTheNewTermFromHeartbeatResponses() {
    staleLeaderStepsDownOnHeartbeat(b -> b.preVote(true));
  }

  private static void staleLeaderStepsDownOnHeartbeat(UnaryOperator<Config.Builder> tweak) {
    StepCluster c = StepCluster.create(3, tweak);
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(1);
    tickEach(c, 60, 2, 3); // node 1 is not ticked: it still leads at the old term
    long newLeader = c.leader();
    assertTrue(newLeader == 2 || newLeader == 3, "no new leader: " + newLeader);
    assertEquals(Role.LEADER, c.node(1).role());
    long newTerm = c.node(newLeader).term();
    assertTrue(newTerm > term);

    c.recover();
    c.tick(1, 1); // heartbeat at the stale term
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(newTerm, c.node(1).term());
    c.tickAll(1);
    assertEquals(newLeader, c.node(1).lead());
  }

  /**
   * A stale leader's MsgApp (here for a proposal it accepted while cut off) is answered at the
   * current term too; it steps down, and the entry it appended alone is replaced, never applied.
   */
  @Test
  void staleLeaderLearnsTheNewTermFromAnAppendResponseAndItsEntryIsDiscarded() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    c.isolate(1);
    tickEach(c, 60, 2, 3);
    long newLeader = c.leader();
    long newTerm = c.node(newLeader).term();

    c.recover();
    proposeRaw(c, 1, "stale");
    c.stabilize();
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(newTerm, c.node(1).term());
    c.tickAll(3);
    c.propose(newLeader, "fresh");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("fresh"), n.appliedData(), "node " + n.id());
    }
    LogAssertions.assertLogsEqual(c);
  }

  /**
   * A candidate stuck at a higher term (its votes were ignored under the lease) answers the
   * leader's heartbeat with its term; the leader steps down to that term and the cluster elects a
   * leader everyone follows.
   */
  @Test
  void stuckCandidateWithAHigherTermIsFreedWhenTheLeaderHearsOfItsTerm() {
    StepCluster c = checkQuorumCluster();
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(1);
    c.campaign(3);
    c.campaign(3);
    assertEquals(Role.CANDIDATE, c.node(3).role());
    assertEquals(term + 2, c.node(3).term());
    assertEquals(term, c.node(2).term(), "node 2 is in lease and ignored the votes");

    c.recover();
    c.tick(1, 1);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(term + 2, c.node(1).term());

    c.tickAll(60);
    long leader = c.leader();
    assertTrue(leader != 0, "no leader");
    c.propose(leader, "a");
    for (StepNode n : c.nodes().values()) {
      assertEquals(c.node(leader).term(), n.term(), "term of node " + n.id());
      assertEquals(List.of("a"), n.appliedData(), "node " + n.id());
    }
  }
}

package io.stepraft.raft.scenario;

import static io.stepraft.raft.testing.Messages.message;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PreVote (Raft thesis §9.6): a node asks whether it could win before it raises its term. */
class PreVoteScenarioTest {

  private static StepCluster preVoteCluster() {
    return StepCluster.create(3, b -> b.preVote(true));
  }

  /**
   * Steps into node 2 a MsgPreVote from node 3 for {@code term} with the given last index and term,
   * and returns node 2's answers to 3.
   */
  private static List<Message> preVoteFrom3(
      StepCluster c, long term, long lastIndex, long lastTerm) {
    c.node(2)
        .step(
            message(MessageType.MsgPreVote, 3, 2, term)
                .setIndex(lastIndex)
                .setLogTerm(lastTerm)
                .build());
    return ofType(c.collect(2), MessageType.MsgPreVoteResp, 2, 3);
  }

  /**
   * A node cut off from the others keeps failing its pre-vote, so its term stays where it was; when
   * it rejoins, the leader keeps leading at the same term and the node catches up.
   */
  @Test
  void partitionedNodeDoesNotInflateItsTermAndRejoinsWithoutDisruptingTheLeader() {
    StepCluster c = preVoteCluster();
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(3);
    c.propose(1, "a");
    c.tickAll(100);
    assertEquals(term, c.node(3).term(), "isolated node raised its term");
    assertEquals(Role.PRE_CANDIDATE, c.node(3).role());

    c.recover();
    c.tickAll(30);
    assertEquals(1, c.leader());
    for (StepNode n : c.nodes().values()) {
      assertEquals(term, n.term(), "term of node " + n.id());
    }
    c.propose(1, "b");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a", "b"), n.appliedData(), "node " + n.id());
    }
  }

  /**
   * Without PreVote the same partition inflates the isolated node's term, and its return forces the
   * healthy leader out: this is the disruption PreVote exists to prevent.
   */
  @Test
  void withoutPreVoteARejoiningPartitionedNodeForcesANewTerm() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(3);
    c.propose(1, "a");
    c.tickAll(100);
    assertTrue(c.node(3).term() > term, "isolated node should have campaigned at higher terms");

    c.recover();
    c.tickAll(60);
    long leader = c.leader();
    assertTrue(leader != 0, "no leader after the partition healed");
    assertTrue(c.node(leader).term() > term, "the old term survived: " + c.node(leader).term());
  }

  /** A pre-candidate asks for votes at term + 1 but keeps its own term and vote unchanged. */
  @Test
  void preCandidateDoesNotRaiseItsTermOrVote() {
    StepCluster c = preVoteCluster();
    c.isolate(1);
    long term = c.node(1).term();
    c.node(1).raw().campaign();
    List<Message> out = c.collect(1);

    assertEquals(Role.PRE_CANDIDATE, c.node(1).role());
    assertEquals(term, c.node(1).term());
    assertEquals(0, c.node(1).raw().basicStatus().hardState().getVote());
    for (long to : new long[] {2, 3}) {
      List<Message> asks = ofType(out, MessageType.MsgPreVote, 1, to);
      assertEquals(1, asks.size(), "pre-votes to " + to);
      assertEquals(
          term + 1, asks.get(0).getTerm(), "a pre-vote names the term it would campaign in");
      assertEquals(c.node(1).storage().lastIndex(), asks.get(0).getIndex());
    }
    assertTrue(
        ofType(out, MessageType.MsgVote, 1, 2).isEmpty(),
        "no real vote before the pre-vote is won");
  }

  /** A pre-vote is granted only if the asking node's log is at least as up to date (§5.4.1). */
  @Test
  void preVoteIsGrantedOnlyToANodeWhoseLogIsUpToDate() {
    StepCluster c = preVoteCluster();
    c.campaign(1);
    c.propose(1, "a");
    long term = c.node(2).term();
    long last = c.node(2).storage().lastIndex();

    List<Message> behind = preVoteFrom3(c, term + 1, last - 1, term);
    assertEquals(1, behind.size());
    assertTrue(behind.get(0).getReject(), "a shorter log of the same last term must be refused");
    assertEquals(term, behind.get(0).getTerm(), "a refusal carries the voter's own term");

    List<Message> upToDate = preVoteFrom3(c, term + 1, last, term);
    assertEquals(1, upToDate.size());
    assertFalse(upToDate.get(0).getReject(), "an up-to-date log must be granted the pre-vote");
    assertEquals(
        term + 1, upToDate.get(0).getTerm(), "a grant carries the pre-candidate's future term");
  }

  /** Granting a pre-vote for a future term changes neither the voter's term nor its vote. */
  @Test
  void grantingAPreVoteChangesNeitherTermNorVoteOfTheVoter() {
    StepCluster c = preVoteCluster();
    c.campaign(1);
    long term = c.node(2).term();
    long vote = c.node(2).raw().basicStatus().hardState().getVote();
    long last = c.node(2).storage().lastIndex();

    List<Message> resp = preVoteFrom3(c, term + 5, last, term);
    assertFalse(resp.get(0).getReject());
    assertEquals(term, c.node(2).term());
    assertEquals(vote, c.node(2).raw().basicStatus().hardState().getVote());
    assertEquals(Role.FOLLOWER, c.node(2).role());
    assertEquals(1, c.node(2).lead(), "the voter still follows its leader");
  }

  /**
   * With CheckQuorum a follower that heard from its leader within the election timeout does not
   * grant pre-votes: it ignores them, and its term does not move.
   */
  @Test
  void withCheckQuorumFollowersThatHeardFromTheLeaderDoNotGrantPreVotes() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true).checkQuorum(true));
    c.campaign(1);
    long term = c.node(2).term();
    long last = c.node(2).storage().lastIndex();

    List<Message> resp = preVoteFrom3(c, term + 1, last, term);
    assertTrue(
        resp.stream().allMatch(Message::getReject),
        "a follower in lease granted a pre-vote: " + resp);
    assertEquals(term, c.node(2).term());
    assertEquals(1, c.node(2).lead());
  }

  /**
   * With PreVote and CheckQuorum, a node that cannot hear the leader while its peer still can never
   * gets a pre-vote: the leader keeps leading at the same term, and the node catches up once the
   * link heals.
   */
  @Test
  void partialPartitionDoesNotDethroneALeaderWithPreVoteAndCheckQuorum() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true).checkQuorum(true));
    c.campaign(1);
    long term = c.node(1).term();
    c.cut(1, 3);
    c.tickAll(100);
    c.propose(1, "a");
    assertEquals(1, c.leader());
    assertEquals(term, c.node(1).term());
    assertEquals(term, c.node(2).term());
    assertEquals(term, c.node(3).term(), "the cut-off node raised its term");

    c.recover();
    c.tickAll(20);
    assertEquals(1, c.leader());
    assertEquals(List.of("a"), c.node(3).appliedData());
  }

  /** A rejection carrying a higher term turns the pre-candidate into a follower at that term. */
  @Test
  void rejectedPreVoteWithAHigherTermMakesThePreCandidateAFollowerAtThatTerm() {
    StepCluster c = preVoteCluster();
    c.isolate(1);
    c.node(1).raw().campaign();
    c.collect(1);
    assertEquals(Role.PRE_CANDIDATE, c.node(1).role());

    c.node(1).raw().step(message(MessageType.MsgPreVoteResp, 2, 1, 7).setReject(true).build());
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(7, c.node(1).term());
    assertEquals(0, c.node(1).lead());
  }

  /**
   * A granted pre-vote carries the future term without raising ours; once a quorum (our own durable
   * vote included) grants it, the node becomes a candidate and only then raises its term.
   */
  @Test
  void preCandidateRaisesItsTermOnlyAfterWinningThePreVote() {
    StepCluster c = preVoteCluster();
    c.isolate(1);
    long term = c.node(1).term();
    c.node(1).raw().campaign();
    c.collect(1); // our own pre-vote counts once durable

    c.node(1).raw().step(message(MessageType.MsgPreVoteResp, 2, 1, term + 1).build());
    assertEquals(Role.CANDIDATE, c.node(1).role());
    assertEquals(term + 1, c.node(1).term());
    List<Message> out = c.collect(1);
    assertEquals(
        1, ofType(out, MessageType.MsgVote, 1, 3).size(), "the candidate asks for real votes");
    assertEquals(
        1, c.node(1).raw().basicStatus().hardState().getVote(), "a candidate votes for itself");
  }

  /**
   * The etcd bug "nodes with a smaller term are stalled": a node with a lower term and a stale log
   * pre-votes to a peer with a higher term while the leader fails. The peer answers with a
   * rejection at its term, which frees the node; the two then elect a leader and make progress.
   */
  @Test
  void nodeWithASmallerTermAndAStaleLogIsNotStalledWhenTheLeaderFails() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true).checkQuorum(true));
    c.isolate(3);
    c.campaign(1);
    c.propose(1, "a");
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(2, c.leader());
    c.propose(2, "b");
    long leaderTerm = c.node(2).term();
    c.campaign(3);
    assertEquals(Role.PRE_CANDIDATE, c.node(3).role());
    assertTrue(c.node(3).term() < leaderTerm);

    c.recover();
    c.isolate(2); // the leader crashes just as node 3 rejoins
    c.campaign(3);
    assertEquals(Role.FOLLOWER, c.node(3).role(), "the stale pre-candidate lost its pre-vote");
    assertEquals(leaderTerm, c.node(3).term(), "the rejection taught it the current term");

    c.tickAll(60);
    long leader = c.leader();
    assertTrue(leader == 1 || leader == 3, "no leader among the connected nodes: " + leader);
    assertTrue(c.node(leader).term() > leaderTerm);
    c.propose(leader, "c");
    assertEquals(List.of("a", "b", "c"), c.node(1).appliedData());
    assertEquals(List.of("a", "b", "c"), c.node(3).appliedData());
  }

  /**
   * A pre-candidate forgets its leader. Otherwise, with CheckQuorum, two followers whose leader
   * failed would each ignore the other's pre-vote while they believe in that leader: a pre-vote
   * could only succeed after both leases ran out, and repeated pre-votes could be refused forever.
   */
  @Test
  void preCandidateForgetsItsLeaderSoThatAnotherPreCandidateCanWin() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true).checkQuorum(true));
    c.campaign(1);
    long term = c.node(1).term();
    c.isolate(1);

    c.campaign(3);
    assertEquals(Role.PRE_CANDIDATE, c.node(3).role());
    assertEquals(0, c.node(3).lead(), "a pre-candidate must not keep its leader");
    assertEquals(Role.FOLLOWER, c.node(2).role(), "node 2 is in lease and ignored node 3");
    assertEquals(1, c.node(2).lead());

    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(term + 1, c.node(2).term());
    assertEquals(Role.FOLLOWER, c.node(3).role());
    assertEquals(2, c.node(3).lead());
  }
}

package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §5.1 Raft basics: terms as a logical clock. */
class PaperTermTest {
  private static final long HIGH = 5;

  /** Messages of term {@link #HIGH} from node 2, of the kinds a server may receive. */
  private static List<Message> higherTermMessages() {
    return List.of(
        Msgs.app(2, HIGH, 1, 1, 1),
        Msgs.heartbeat(2, HIGH, 1),
        Msgs.vote(2, HIGH, 10, HIGH),
        Msgs.appResp(2, HIGH, 1));
  }

  private static StepNode inRole(Role role) {
    return switch (role) {
      case FOLLOWER -> Solo.follower(3);
      case CANDIDATE -> {
        StepNode s = Solo.follower(3);
        s.raw().campaign();
        s.drain();
        yield s;
      }
      case LEADER -> Solo.leader(3);
      default -> throw new IllegalArgumentException("role " + role);
    };
  }

  private static void assertRevertsToFollowerOnLargerTerm(Role role) {
    for (Message m : higherTermMessages()) {
      StepNode s = inRole(role);
      assertEquals(role, s.role(), "setup");
      s.step(m);
      assertEquals(HIGH, s.term(), role + " stepping " + m.getType());
      assertEquals(Role.FOLLOWER, s.role(), role + " stepping " + m.getType());
      boolean fromLeader =
          m.getType() == MessageType.MsgApp || m.getType() == MessageType.MsgHeartbeat;
      assertEquals(fromLeader ? 2 : 0, s.lead(), role + " stepping " + m.getType());
    }
  }

  /**
   * §5.1: "If one server's current term is smaller than the other's, then it updates its current
   * term to the larger value." A follower does so whatever the message.
   */
  @Test
  void followerAdoptsLargerTermFromAnyMessage() {
    assertRevertsToFollowerOnLargerTerm(Role.FOLLOWER);
  }

  /**
   * §5.1: "If a candidate or leader discovers that its term is out of date, it immediately reverts
   * to follower state." (candidate)
   */
  @Test
  void candidateWithStaleTermRevertsToFollower() {
    assertRevertsToFollowerOnLargerTerm(Role.CANDIDATE);
  }

  /**
   * §5.1: "If a candidate or leader discovers that its term is out of date, it immediately reverts
   * to follower state." (leader)
   */
  @Test
  void leaderWithStaleTermRevertsToFollower() {
    assertRevertsToFollowerOnLargerTerm(Role.LEADER);
  }

  /**
   * §5.1: "If a server receives a request with a stale term number, it rejects the request." An
   * AppendEntries of an older term changes neither log, term, leader nor commit index.
   */
  @Test
  void staleAppendEntriesIsRejected() {
    StepNode s = Solo.of(Logs.storage(3, 3, 1, 1));
    s.step(Msgs.app(2, 2, 2, 1, 3, Entries.labeled(3, 2)));
    List<Message> out = s.drain();
    assertEquals(List.of(), out, "nothing is acknowledged to a stale leader");
    assertEquals(Logs.list(1, 1), Logs.terms(s.storage()));
    assertEquals(3, s.term());
    assertEquals(0, s.lead());
    assertEquals(1, s.commit());
  }

  /** §5.1: a RequestVote with a stale term is rejected: no vote is granted and none is recorded. */
  @Test
  void staleVoteRequestIsNotGranted() {
    StepNode s = Solo.of(Logs.storage(3, 3, 1));
    s.step(Msgs.vote(2, 2, 5, 2));
    List<Message> out = s.drain();
    assertTrue(
        Messages.ofType(out, MessageType.MsgVoteResp).stream().allMatch(Message::getReject),
        "no granted vote in " + out);
    assertEquals(0, s.vote());
    assertEquals(3, s.term());
  }

  /**
   * §5.1 with §5.2: a heartbeat of a stale term is rejected, so it does not count as hearing from a
   * leader; the follower still times out and starts an election.
   */
  @Test
  void staleHeartbeatDoesNotPostponeElection() {
    StepNode s = Solo.of(Logs.storage(3, 3, 1));
    for (int i = 0; i < 20 && s.role() == Role.FOLLOWER; i++) {
      s.step(Msgs.heartbeat(2, 2, 1));
      s.tick(1);
    }
    assertEquals(Role.CANDIDATE, s.role());
    assertEquals(4, s.term());
  }

  /**
   * §5.1: current terms are exchanged whenever servers communicate. With CheckQuorum a follower
   * answers a stale AppendEntries with its own term, so the stale leader can learn it is deposed.
   */
  @Test
  void staleLeaderIsToldTheCurrentTermWithCheckQuorum() {
    StepNode s = Solo.of(Logs.storage(3, 3, 1), b -> b.checkQuorum(true));
    s.step(Msgs.app(2, 2, 1, 1, 1));
    Message resp = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
    assertEquals(3, resp.getTerm());
    assertEquals(3, s.term());
  }

  /**
   * §5.1: a leader cut off while the others elect a new leader in a later term discovers the later
   * term when it hears from the new leader, and reverts to follower; the entry it accepted alone is
   * never applied.
   */
  @Test
  void deposedLeaderRevertsToFollowerWhenPartitionHeals() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(1);
    c.propose(1, "lost");
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(3, c.node(2).term());
    assertEquals(Role.LEADER, c.node(1).role(), "the cut-off leader does not know yet");
    c.recover();
    c.tickAll(1);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(3, c.node(1).term());
    assertEquals(2, c.node(1).lead());
    c.propose(2, "kept");
    assertEquals(List.of("kept"), c.node(1).appliedData());
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.1: a server that campaigned alone raised its term; when it reconnects, its RequestVote
   * carries the larger term, and the leader updates its term and reverts to follower (PreVote,
   * §9.6, exists to avoid exactly this disruption; it is off here).
   */
  @Test
  void rejoiningServerWithLargerTermDeposesLeader() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    long leaderTerm = c.node(1).term();
    c.isolate(3);
    c.tick(3, 50);
    long isolatedTerm = c.node(3).term();
    assertTrue(isolatedTerm > leaderTerm + 1, "node 3 campaigned repeatedly, term " + isolatedTerm);
    c.recover();
    c.tick(3, 20);
    assertTrue(c.node(1).term() >= isolatedTerm, "leader adopted term " + c.node(1).term());
    assertNotEquals(leaderTerm, c.node(1).term());
    LogAssertions.assertLogsAgree(c);
  }
}

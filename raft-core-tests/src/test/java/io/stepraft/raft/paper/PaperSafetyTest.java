package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §5.4 Safety: the election restriction and committing entries from previous terms. */
class PaperSafetyTest {

  /**
   * §5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the candidate
   * ... If the logs have last entries with different terms, then the log with the later term is
   * more up-to-date. If the logs end with the same term, then whichever log is longer is more
   * up-to-date." The voter's log ends at (index 2, term 2).
   */
  @Test
  void voterDeniesVoteToCandidateWithLessUpToDateLog() {
    long[][] cases = {
      // candidate's last term, last index, granted
      {1, 1, 0},
      {1, 2, 0},
      {1, 3, 0},
      {2, 1, 0},
      {2, 2, 1},
      {2, 3, 1},
      {3, 1, 1},
      {3, 2, 1},
      {3, 3, 1}
    };
    for (long[] tc : cases) {
      StepNode s = Solo.of(Logs.storage(3, 2, 1, 2));
      s.step(Msgs.vote(2, 3, tc[1], tc[0]));
      Message resp = Msgs.only(s.drain(), MessageType.MsgVoteResp, 2);
      String what = "candidate (last term " + tc[0] + ", last index " + tc[1] + ")";
      assertEquals(tc[2] == 0, resp.getReject(), what);
      assertEquals(tc[2] == 1 ? 2 : 0, s.vote(), what);
      assertEquals(3, s.term(), what);
    }
  }

  /**
   * §5.4.1: "A candidate must contact a majority of the cluster in order to be elected, which means
   * that every committed entry must be present in at least one of those servers." A server that
   * missed a committed entry cannot be elected; one that holds it can.
   */
  @Test
  void serverMissingCommittedEntryCannotBeElected() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(3);
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(2).appliedData());
    c.recover();
    c.isolate(1);
    for (int i = 0; i < 5; i++) {
      c.campaign(3);
      assertNotEquals(Role.LEADER, c.node(3).role(), "attempt " + i);
    }
    campaignUntilLeader(c, 2);
    c.propose(2, "b");
    assertEquals(List.of("a", "b"), c.node(3).appliedData());
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.4.2: "Raft never commits log entries from previous terms by counting replicas. Only log
   * entries from the leader's current term are committed by counting replicas; once an entry from
   * the current term has been committed in this way, then all prior entries are committed
   * indirectly." The leader of term 3 holds an uncommitted entry of term 2 at index 2.
   */
  @Test
  void leaderCommitsOldTermEntryOnlyWithCurrentTermEntry() {
    StepNode s = Solo.of(Logs.storage(3, 2, 1, 2));
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 3, false));
    s.drain();
    assertEquals(Role.LEADER, s.role());
    s.step(Msgs.appResp(2, 3, 2)); // follower 2 holds index 2 (term 2) but not yet index 3
    s.drain();
    assertEquals(1, s.commit(), "index 2 is on a majority, but of an earlier term");
    s.step(Msgs.appResp(2, 3, 3));
    s.drain();
    assertEquals(3, s.commit());
    assertEquals(List.of(2L, 3L), s.applied().stream().map(e -> e.getIndex()).toList());
  }

  /**
   * Index of the contested entry in Figure 8: 5 bootstrap entries, then S1's empty entry of term 2.
   */
  private static final long CONTESTED = 7;

  /**
   * Figure 8 (a)-(c) with five servers S1..S5. (a) S1 leads term 2 and replicates entry X (index 7)
   * to S2. (b) S1 crashes; S5 is elected for term 3 by S3, S4 and itself and accepts a different
   * entry at index 7 (its empty entry), which reaches no one. (c) S5 crashes; S1 restarts and is
   * elected for term 4. Its own term-4 entry is held back by the network, while X reaches S3 and S4
   * (S2 is unreachable; it holds X already). X is then on a majority, and the leader knows it, yet
   * it is not committed.
   */
  private static StepCluster figure8UpToC() {
    StepCluster c = StepCluster.create(5, b -> b.maxSizePerMsgBytes(1)); // one entry per MsgApp
    c.campaign(1);
    c.cut(1, 3);
    c.cut(1, 4);
    c.cut(1, 5);
    c.propose(1, "X");
    assertEquals(2, c.node(2).storage().term(CONTESTED));
    assertEquals(CONTESTED - 1, c.node(1).commit());
    // (b)
    c.recover();
    c.isolate(1);
    c.ignore(MessageType.MsgApp);
    c.campaign(5);
    assertEquals(Role.LEADER, c.node(5).role());
    assertEquals(3, c.node(5).term());
    assertEquals(3, c.node(5).storage().term(CONTESTED));
    // (c)
    c.recover();
    c.node(5).restart();
    c.isolate(5);
    c.node(1).restart();
    c.cut(1, 2);
    c.dropIf(
        m ->
            m.getFrom() == 1
                && m.getType() == MessageType.MsgApp
                && carriesTerm(m, 4)
                && wouldAccept(c, m));
    campaignUntilLeader(c, 1);
    assertEquals(4, c.node(1).term());
    for (long id : new long[] {1, 2, 3, 4}) {
      assertEquals(2, c.node(id).storage().term(CONTESTED), "S" + id + " holds X");
    }
    assertEquals(CONTESTED, c.node(1).progress(3).match());
    assertEquals(CONTESTED, c.node(1).progress(4).match());
    assertEquals(
        CONTESTED - 1, c.node(1).commit(), "X (term 2) is on a majority but not committed");
    for (StepNode n : c.nodes().values()) {
      assertFalse(n.appliedData().contains("X"), "S" + n.id() + " applied X");
    }
    return c;
  }

  /**
   * §5.4.2, Figure 8 (d): had S1 committed X in (c) by counting replicas, this would lose a
   * committed entry: S1 crashes, S5 is elected by S2, S3 and S4 (its last term, 3, is later than
   * theirs) and replaces X everywhere with its own entry of term 3. Since X was never committed, no
   * state machine applied it, and all agree on index 7.
   */
  @Test
  void figure8OldTermEntryOnMajorityIsNotCommittedAndMayBeReplaced() {
    StepCluster c = figure8UpToC();
    c.recover();
    c.isolate(1);
    campaignUntilLeader(c, 5);
    for (long id = 2; id <= 5; id++) {
      assertEquals(3, c.node(id).storage().term(CONTESTED), "S" + id + " holds S5's entry");
      assertTrue(c.node(id).commit() > CONTESTED, "S" + id + " commit " + c.node(id).commit());
    }
    c.recover();
    c.tickAll(5);
    assertEquals(3, c.node(1).storage().term(CONTESTED), "S1's X was replaced too");
    for (StepNode n : c.nodes().values()) {
      assertFalse(n.appliedData().contains("X"), "S" + n.id() + " applied X");
    }
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.4.2, Figure 8 (e): "if S1 replicates an entry from its current term on a majority of the
   * servers before crashing ... then this entry is committed (S5 cannot win an election)", and X
   * with it. Every server ends up applying X.
   */
  @Test
  void figure8OldTermEntryIsCommittedWithCurrentTermEntry() {
    StepCluster c = figure8UpToC();
    c.recover();
    c.isolate(5);
    c.tick(1, 1); // a heartbeat round: S1 retries its term-4 entry
    assertTrue(c.node(1).commit() >= CONTESTED + 1, "commit " + c.node(1).commit());
    assertTrue(c.node(1).appliedData().contains("X"));
    c.recover();
    c.isolate(1);
    for (int i = 0; i < 5; i++) {
      c.campaign(5);
      assertNotEquals(Role.LEADER, c.node(5).role(), "S5 attempt " + i);
    }
    campaignUntilLeader(c, 2);
    c.propose(2, "after");
    for (long id = 2; id <= 5; id++) {
      assertEquals(List.of("X", "after"), c.node(id).appliedData(), "S" + id);
    }
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.4.3 Leader Completeness: "If a log entry is committed in a given term, then that entry will
   * be present in the logs of the leaders for all higher-numbered terms." Entries committed by S1
   * with S2 and S3 only are in the log of whoever leads after S1 crashes, and S4, S5 (which lack
   * them) cannot lead.
   */
  @Test
  void laterLeadersHoldEveryCommittedEntry() {
    StepCluster c = StepCluster.create(5);
    c.campaign(1);
    c.cut(1, 4);
    c.cut(1, 5);
    for (String d : List.of("a", "b", "c")) {
      c.propose(1, d);
    }
    assertEquals(List.of("a", "b", "c"), c.node(3).appliedData());
    c.recover();
    c.isolate(1);
    c.tickAll(60);
    long leader = c.leader();
    assertTrue(leader == 2 || leader == 3, "leader " + leader);
    c.propose(leader, "d");
    for (long id = 2; id <= 5; id++) {
      assertEquals(List.of("a", "b", "c", "d"), c.node(id).appliedData(), "S" + id);
    }
    LogAssertions.assertLogsAgree(c);
  }

  static boolean carriesTerm(Message m, long term) {
    return m.getEntriesList().stream().anyMatch(e -> e.getTerm() == term);
  }

  /** Whether the recipient's persisted log holds the entry preceding the message's entries. */
  static boolean wouldAccept(StepCluster c, Message m) {
    var s = c.node(m.getTo()).storage();
    return m.getIndex() <= s.lastIndex() && s.term(m.getIndex()) == m.getLogTerm();
  }

  static void campaignUntilLeader(StepCluster c, long id) {
    for (int attempt = 0; attempt < 10; attempt++) {
      c.campaign(id);
      if (c.node(id).role() == Role.LEADER) {
        return;
      }
    }
    throw new AssertionError("S" + id + " was not elected in 10 attempts");
  }
}

package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §5.3 Log replication, as seen by the leader and by a follower. */
class PaperReplicationTest {

  private static List<Long> indexes(List<Entry> ents) {
    return ents.stream().map(Entry::getIndex).toList();
  }

  /**
   * §5.3: "The leader appends the command to its log as a new entry, then issues AppendEntries RPCs
   * in parallel to each of the other servers to replicate the entry." The entry carries the
   * leader's term; the RPC names the entry that precedes it.
   */
  @Test
  void leaderAppendsProposalThenSendsAppendEntries() {
    StepNode s = Solo.leader(3);
    s.raw().propose("x".getBytes());
    List<Message> out = s.drain();
    assertEquals(Logs.list(1, 2, 2), Logs.terms(s.storage()));
    Entry stored = s.log().get(s.log().size() - 1);
    assertEquals("x", stored.getData().toStringUtf8());
    for (long to = 2; to <= 3; to++) {
      Message app = Msgs.only(out, MessageType.MsgApp, to);
      assertEquals(2, app.getTerm());
      assertEquals(2, app.getIndex(), "prevLogIndex");
      assertEquals(2, app.getLogTerm(), "prevLogTerm");
      assertEquals(List.of(stored), app.getEntriesList());
    }
  }

  /**
   * §5.3: "A log entry is committed once the leader that created the entry has replicated it on a
   * majority of the servers." The leader's own durable copy counts.
   */
  @Test
  void leaderCommitsOnceMajorityHoldsEntry() {
    int[][] cases = {
      {1}, {3}, {3, 2}, {3, 2, 3}, {5}, {5, 2}, {5, 2, 3}, {5, 3, 5}, {5, 2, 3, 4, 5}
    };
    for (int[] tc : cases) {
      int size = tc[0];
      int acks = tc.length - 1;
      StepNode s = Solo.leader(size);
      s.raw().propose("x".getBytes());
      s.drain();
      for (int i = 1; i < tc.length; i++) {
        s.step(Msgs.appResp(tc[i], 2, 3));
      }
      s.drain();
      boolean majority = acks + 1 > size / 2;
      assertEquals(
          majority ? 3 : 2, s.commit(), "size " + size + ", acks from " + acks + " followers");
      assertEquals(majority, indexes(s.applied()).contains(3L), "size " + size + ", acks " + acks);
    }
  }

  /**
   * §5.3: committing an entry "also commits all preceding entries in the leader's log, including
   * entries created by previous leaders", and they are handed out for applying in log order.
   */
  @Test
  void leaderCommitsPrecedingEntriesOfEarlierLeaders() {
    StepNode s = Solo.of(Logs.storage(3, 2, 1, 1, 2));
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 3, false));
    s.drain();
    assertEquals(Role.LEADER, s.role());
    assertEquals(1, s.commit());
    s.step(Msgs.appResp(2, 3, 4));
    s.drain();
    assertEquals(4, s.commit());
    assertEquals(List.of(2L, 3L, 4L), indexes(s.applied()));
  }

  /**
   * §5.3: "The leader keeps track of the highest index it knows to be committed, and it includes
   * that index in future AppendEntries RPCs (including heartbeats)". A heartbeat never claims more
   * than the follower is known to hold.
   */
  @Test
  void leaderSendsCommitIndexInLaterAppendsAndHeartbeats() {
    StepNode s = Solo.leader(3);
    s.raw().propose("x".getBytes());
    s.drain();
    s.step(Msgs.appResp(2, 2, 3));
    List<Message> out = s.drain();
    assertEquals(3, s.commit());
    assertEquals(
        3,
        Msgs.only(out, MessageType.MsgApp, 2).getCommit(),
        "follower 2 learns the commit at once");
    s.tick(1);
    out = s.drain();
    assertEquals(3, Msgs.only(out, MessageType.MsgHeartbeat, 2).getCommit());
    assertEquals(
        2, Msgs.only(out, MessageType.MsgHeartbeat, 3).getCommit(), "3 holds only up to index 2");
  }

  /**
   * §5.3: "Once a follower learns that a log entry is committed, it applies the entry to its local
   * state machine (in log order)."
   */
  @Test
  void followerAppliesEntriesCommittedByAppendEntriesInOrder() {
    StepNode s = Solo.follower(3);
    s.step(
        Msgs.app(
            2, 1, 1, 1, 3, Entries.labeled(2, 1), Entries.labeled(3, 1), Entries.labeled(4, 1)));
    List<Message> out = s.drain();
    assertEquals(3, s.commit());
    assertEquals(List.of(Entries.labeled(2, 1), Entries.labeled(3, 1)), s.applied());
    Message resp = Msgs.only(out, MessageType.MsgAppResp, 2);
    assertFalse(resp.getReject());
    assertEquals(4, resp.getIndex());
  }

  /**
   * §5.3 (Figure 2, AppendEntries receiver rule 5): "If leaderCommit > commitIndex, set commitIndex
   * = min(leaderCommit, index of last new entry)".
   */
  @Test
  void followerCommitsNoFurtherThanLastNewEntry() {
    StepNode s = Solo.of(Logs.storage(3, 1, 1, 1, 1));
    s.step(Msgs.app(2, 1, 1, 1, 4, Entries.labeled(2, 1)));
    s.drain();
    assertEquals(2, s.commit(), "entry 3 may not match the leader's: it was not in this RPC");
  }

  /** §5.3: followers also learn the commit index from heartbeats. */
  @Test
  void followerLearnsCommitIndexFromHeartbeat() {
    StepNode s = Solo.of(Logs.storage(3, 1, 1, 1, 1));
    s.step(Msgs.heartbeat(2, 1, 3));
    s.drain();
    assertEquals(3, s.commit());
    assertEquals(List.of(2L, 3L), indexes(s.applied()));
  }

  /**
   * §5.3: "When sending an AppendEntries RPC, the leader includes the index and term of the entry
   * in its log that immediately precedes the new entries. If the follower does not find an entry in
   * its log with the same index and term, then it refuses the new entries." Rejections carry a
   * hint: an index at which the logs may match and its term.
   */
  @Test
  void followerRejectsAppendEntriesWithoutMatchingPrecedingEntry() {
    long[][] cases = {
      // prevIndex, prevTerm, reject, index (accepted) or rejectHint, hint term
      {1, 1, 0, 1, 0},
      {2, 2, 0, 2, 0},
      {1, 2, 1, 1, 1},
      {2, 1, 1, 1, 1},
      {3, 2, 1, 2, 2},
      {5, 3, 1, 2, 2}
    };
    for (long[] tc : cases) {
      StepNode s = Solo.of(Logs.storage(3, 3, 1, 2));
      s.step(Msgs.app(2, 3, tc[0], tc[1], 1));
      Message resp = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
      String what = "prev (" + tc[0] + ", " + tc[1] + ")";
      assertEquals(tc[2] == 1, resp.getReject(), what);
      if (resp.getReject()) {
        assertEquals(tc[0], resp.getIndex(), what);
        assertEquals(tc[3], resp.getRejectHint(), what);
        assertEquals(tc[4], resp.getLogTerm(), what);
      } else {
        assertEquals(tc[3], resp.getIndex(), what);
      }
      assertEquals(Logs.list(1, 2), Logs.terms(s.storage()), what);
    }
  }

  private record AppendCase(long prevIndex, long prevTerm, long[] entryTerms, long[] expectedLog) {}

  /**
   * §5.3: "If an existing entry conflicts with a new one (same index but different terms), delete
   * the existing entry and all that follow it" (Figure 2), then append the new ones. Entries the
   * follower already holds are kept.
   */
  @Test
  void followerReplacesConflictingEntriesWithLeaders() {
    List<AppendCase> cases =
        List.of(
            new AppendCase(3, 2, new long[] {3}, new long[] {1, 2, 2, 3}),
            new AppendCase(1, 1, new long[] {3, 4}, new long[] {1, 3, 4}),
            new AppendCase(2, 2, new long[] {2}, new long[] {1, 2, 2}),
            new AppendCase(1, 1, new long[] {2}, new long[] {1, 2, 2}),
            new AppendCase(2, 2, new long[] {4, 4, 4}, new long[] {1, 2, 4, 4, 4}),
            new AppendCase(1, 1, new long[] {1}, new long[] {1, 1}));
    for (AppendCase tc : cases) {
      StepNode s = Solo.of(Logs.storage(3, 2, 1, 2, 2));
      List<Entry> ents = new ArrayList<>();
      for (int i = 0; i < tc.entryTerms().length; i++) {
        ents.add(Entries.labeled(tc.prevIndex() + 1 + i, tc.entryTerms()[i]));
      }
      s.step(Msgs.app(2, 4, tc.prevIndex(), tc.prevTerm(), 1, ents.toArray(Entry[]::new)));
      Message resp = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
      assertFalse(resp.getReject(), tc.toString());
      assertEquals(tc.prevIndex() + ents.size(), resp.getIndex(), tc.toString());
      assertEquals(
          Logs.list(tc.expectedLog()),
          Logs.terms(s.storage()),
          "after " + tc.prevIndex() + "/" + tc.prevTerm());
    }
  }

  /**
   * §5.3: "After a rejection, the leader decrements nextIndex and retries the AppendEntries RPC."
   * With the hint it goes straight to the follower's last entry of an acceptable term.
   */
  @Test
  void leaderBacksUpAfterRejectionAndRetries() {
    StepNode s = Solo.of(Logs.storage(3, 2, 1, 1, 2));
    s.raw().campaign();
    s.drain();
    s.step(Msgs.voteResp(2, 3, false));
    Message probe = Msgs.only(s.drain(), MessageType.MsgApp, 2);
    assertEquals(3, probe.getIndex(), "nextIndex starts just after the leader's last entry");
    // Follower 2 holds [1, 1]: it lacks index 3 and hints its entry 2 of term 1.
    s.step(Msgs.appReject(2, 3, 3, 2, 1));
    Message retry = Msgs.only(s.drain(), MessageType.MsgApp, 2);
    assertEquals(2, retry.getIndex());
    assertEquals(1, retry.getLogTerm());
    assertEquals(List.of(3L, 4L), indexes(retry.getEntriesList()));
  }

  /**
   * §5.3: "A leader never overwrites or deletes entries in its own log" (Leader Append-Only):
   * neither a stale leader's conflicting entries nor a follower's rejection change it.
   */
  @Test
  void leaderNeverOverwritesItsOwnLog() {
    StepNode s = Solo.leader(3);
    s.raw().propose("x".getBytes());
    s.drain();
    List<Entry> before = s.log();
    s.step(
        Msgs.app(
            3, 1, 1, 1, 1, Entries.labeled(2, 1), Entries.labeled(3, 1), Entries.labeled(4, 1)));
    s.step(Msgs.appReject(2, 2, 3, 1, 1));
    s.drain();
    assertEquals(Role.LEADER, s.role());
    assertEquals(before, s.log());
  }

  /**
   * §5.3: in a running cluster every proposal is replicated, committed, and applied by every server
   * in the same log order, without gaps.
   */
  @Test
  void everyServerAppliesTheSameEntriesInLogOrder() {
    StepCluster c = StepCluster.create(5);
    c.campaign(1);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      c.propose(1 + (i % 5), "p" + i); // followers forward to the leader
      expected.add("p" + i);
    }
    for (StepNode n : c.nodes().values()) {
      assertEquals(expected, n.appliedData(), "node " + n.id());
      List<Long> applied = indexes(n.applied());
      for (int i = 0; i < applied.size(); i++) {
        assertEquals(i + 1, applied.get(i), "node " + n.id() + " applied without gaps");
      }
    }
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.3: Log Matching: "If two entries in different logs have the same index and term, then they
   * store the same command." An AppendEntries that matches an existing entry leaves it as is.
   */
  @Test
  void matchingEntryIsKeptNotRewritten() {
    MemoryStorage st = Logs.storage(3, 2, 1, 2, 2);
    StepNode s = Solo.of(st);
    s.step(Msgs.app(2, 2, 1, 1, 1, Entries.labeled(2, 2)));
    Message resp = Msgs.only(s.drain(), MessageType.MsgAppResp, 2);
    assertEquals(2, resp.getIndex());
    assertEquals(Logs.list(1, 2, 2), Logs.terms(st), "entry 3 survives: entry 2 matched");
    assertTrue(s.log().contains(Entries.labeled(3, 2)));
  }
}

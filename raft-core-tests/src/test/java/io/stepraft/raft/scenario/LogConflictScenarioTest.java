package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Log repair (§5.3): the leader finds the last index where a follower's log matches its own and
 * overwrites everything after it. The follower's reject hint (index and term) lets the leader skip
 * a whole divergent term per round trip, so repair costs round trips per term, not per entry.
 */
class LogConflictScenarioTest {
  private static final ConfState VOTERS = ConfStates.voters(1, 2, 3);

  /** Indexes 2..5 at term 1, after the snapshot at index 1: committed on every node. */
  private static final long[] COMMON = repeat(1, 4);

  /**
   * A follower holding entries it accepted as the leader of an old term, never committed, drops
   * them for the new leader's entries; they are never applied anywhere.
   */
  @Test
  void followerWithExtraUncommittedEntriesFromAnOldTermConvergesToTheLeadersLog() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "committed");
    c.isolate(1);
    for (int i = 0; i < 3; i++) {
      proposeRaw(c, 1, "orphan" + i);
    }
    c.stabilize();
    assertEquals(
        c.node(1).commit() + 3,
        c.node(1).storage().lastIndex(),
        "three uncommitted entries on node 1");
    c.campaign(2);
    c.propose(2, "new");

    c.recover();
    c.tickAll(3);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    LogAssertions.assertLogsEqual(c);
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("committed", "new"), n.appliedData(), "node " + n.id());
    }
  }

  /** A follower that missed entries while cut off receives all of them once it is back. */
  @Test
  void followerMissingEntriesCatchesUp() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(3);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      c.propose(1, "e" + i);
      expected.add("e" + i);
    }
    assertTrue(c.node(3).appliedData().isEmpty());
    c.recover();
    c.tickAll(2);
    LogAssertions.assertLogsEqual(c);
    assertEquals(expected, c.node(3).appliedData());
  }

  /**
   * A follower behind by 100 entries with no conflict is located with a single rejection: its hint
   * names its last index, and the leader continues right after it.
   */
  @Test
  void laggingFollowerIsLocatedWithOneRejection() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.isolate(3);
    for (int i = 0; i < 100; i++) {
      c.propose(1, "e" + i);
    }
    c.recover();
    c.recordDelivered(true);
    c.tickAll(2);
    assertEquals(1, rejections(c.delivered(), 3, 1));
    LogAssertions.assertLogsEqual(c);
    assertEquals(100, c.node(3).appliedData().size());
  }

  /**
   * A follower with 100 divergent entries in two terms after the last common index is repaired in
   * at most one rejection per divergent term.
   */
  @Test
  void longDivergentTailIsRepairedInRoundTripsPerTermNotPerEntry() {
    long[] leaderTail = concat(repeat(2, 20), repeat(4, 20));
    long[] followerTail = concat(repeat(3, 50), repeat(5, 50));
    int rejections = repair(leaderTail, followerTail, 5);
    assertTrue(rejections >= 1, "the logs diverge: the follower must reject at least once");
    assertTrue(rejections <= 2, rejections + " rejections to repair 2 divergent terms");
  }

  /**
   * With ten interleaved terms on each side (the follower's ten at 10 entries each), each round
   * trip skips a whole term: about one rejection per divergent term, never one per entry.
   */
  @Test
  void interleavedDivergentTermsCostAboutOneRoundTripEach() {
    long[] leaderTail = new long[0];
    long[] followerTail = new long[0];
    for (int t = 1; t <= 10; t++) {
      leaderTail = concat(leaderTail, repeat(2L * t, 10));
      followerTail = concat(followerTail, repeat(2L * t + 1, 10));
    }
    int rejections = repair(leaderTail, followerTail, 21);
    assertTrue(
        rejections <= 11, rejections + " rejections to repair 10 divergent terms of 100 entries");
  }

  /**
   * A follower whose short tail conflicts (term 3) with a long leader tail (term 4) is repaired.
   */
  @Test
  void shortConflictingTailUnderALongerLeaderLogIsRepaired() {
    long[] leaderTail = repeat(4, 50);
    long[] followerTail = repeat(3, 5);
    int rejections = repair(leaderTail, followerTail, 4);
    assertTrue(rejections <= 2, rejections + " rejections");
  }

  /**
   * Nodes 1 and 3 hold {@code COMMON + leaderTail}, node 2 holds {@code COMMON + followerTail}; all
   * at {@code term}, committed to the common prefix. Node 1 is elected (node 3's vote suffices) and
   * repairs node 2. Returns node 2's rejections, after checking the logs agree and only the
   * leader's entries were applied.
   */
  private static int repair(long[] leaderTail, long[] followerTail, long term) {
    long commonEnd = 1 + COMMON.length;
    HardState hs = Storages.hardState(term, 0, commonEnd);
    List<Entry> leaderLog = Entries.withTerms(2, concat(COMMON, leaderTail));
    List<Entry> followerLog = Entries.withTerms(2, concat(COMMON, followerTail));
    Snapshot snapshot = Snapshots.snapshot(1, 1, VOTERS);
    List<MemoryStorage> storages =
        List.of(
            Storages.withEntries(snapshot, leaderLog, hs),
            Storages.withEntries(snapshot, followerLog, hs),
            Storages.withEntries(snapshot, leaderLog, hs));
    StepCluster c = StepCluster.fromStorages(storages, b -> b.applied(commonEnd));
    c.recordDelivered(true);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    c.tickAll(2);

    LogAssertions.assertLogsEqual(c);
    List<Entry> log = c.node(2).log();
    for (int i = 0; i < leaderLog.size(); i++) {
      assertEquals(leaderLog.get(i), log.get(i), "entry at index " + leaderLog.get(i).getIndex());
    }
    for (Entry e : c.node(2).applied()) {
      assertTrue(e.getIndex() > commonEnd, "re-applied committed entry " + e.getIndex());
      assertTrue(e.getTerm() % 2 == 0 || e.getTerm() == term + 1, "applied a divergent entry " + e);
    }
    return rejections(c.delivered(), 2, 1);
  }

  private static int rejections(List<Message> delivered, long from, long to) {
    int n = 0;
    for (Message m : ofType(delivered, MessageType.MsgAppResp, from, to)) {
      if (m.getReject()) {
        n++;
      }
    }
    return n;
  }

  /** {@code count} copies of {@code term}. */
  private static long[] repeat(long term, int count) {
    long[] out = new long[count];
    Arrays.fill(out, term);
    return out;
  }

  /** Concatenates term runs. */
  private static long[] concat(long[]... runs) {
    return Arrays.stream(runs).flatMapToLong(Arrays::stream).toArray();
  }
}

package io.stepraft.raft.snapshot;

import static io.stepraft.raft.snapshot.SnapshotScenarios.laggingFollower3;
import static io.stepraft.raft.snapshot.SnapshotScenarios.snapshotAndCompact;
import static io.stepraft.raft.snapshot.SnapshotScenarios.snapshotAndCompactAll;
import static io.stepraft.raft.snapshot.SnapshotScenarios.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RAFT-NOTES question 3: a follower slowly installs a snapshot while the leader takes a newer one
 * and compacts; the follower then acknowledges the older index. stepraft cannot loop: the ack moves
 * match to that index; if the log still holds what follows (the host kept entries after
 * compacting), replication continues; otherwise the leader sends its current snapshot, which is
 * strictly newer than the one acknowledged, so snapshots are bounded by the snapshots taken.
 */
class SnapshotLoopTest {
  private static final int CASES = 500;

  /**
   * Node 3 is at 5, the leader snapshotted and compacted at 10 and the MsgSnap(10) is still in
   * flight (held, undelivered); meanwhile the leader wrote 11..15.
   */
  private static Message slowSnapshotWhileTheLeaderMovesOn(
      StepCluster c, SnapshotScenarios.SentSnapshots rec) {
    snapshotAndCompactAll(c.node(1));
    c.recover();
    c.ignore(MessageType.MsgSnap);
    c.tick(1, 1);
    Message slow = rec.last();
    assertEquals(10, slow.getSnapshot().getMetadata().getIndex());
    for (int i = 6; i <= 10; i++) {
      c.propose(1, "a" + i);
    }
    assertEquals(15, c.node(1).appliedIndex());
    return slow;
  }

  @Test
  void followerAcknowledgingAnOlderSnapshotAfterFullCompactionGetsExactlyOneNewerSnapshot() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 5);
    Message slow = slowSnapshotWhileTheLeaderMovesOn(c, rec);
    snapshotAndCompactAll(c.node(1));
    assertEquals(16, c.node(1).storage().firstIndex());
    c.recover();
    c.send(slow);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(10, p.match(), "the ack of the older snapshot moved match to its index");
    assertEquals(
        ProgressState.SNAPSHOT, p.state(), "entries 11..15 are compacted: the log cannot continue");
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
    c.tick(1, 1);
    assertEquals(List.of(10L, 15L), rec.indexes(), "one more snapshot, strictly newer");
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.tick(1, 5);
    c.propose(1, "after");
    assertEquals(2, rec.sent.size(), "and then entries, no loop");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void whenTheLeaderKeepsEntriesAfterItsSnapshotTheOlderSnapshotsAckLeadsStraightToReplication() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 5);
    Message slow = slowSnapshotWhileTheLeaderMovesOn(c, rec);
    // Snapshot at 15 but keep the last 5 entries: the log still starts at 11.
    snapshotAndCompact(c.node(1), 10);
    assertEquals(15, c.node(1).storage().snapshot().getMetadata().getIndex());
    assertEquals(11, c.node(1).storage().firstIndex());
    c.recover();
    c.send(slow);
    assertEquals(
        ProgressState.REPLICATE, c.node(1).progress(3).state(), "11 follows the acknowledged 10");
    c.propose(1, "after");
    assertEquals(List.of(10L), rec.indexes(), "no second snapshot");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void snapshotsSentToOneFollowerAreNewerEachTimeUnlessASendFailedAndBoundedByThoseTaken() {
    for (long seed = 1; seed <= CASES; seed++) {
      try {
        runRandomCompactions(seed);
      } catch (AssertionError | RuntimeException e) {
        fail("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The leader writes and compacts at random (keeping 0..3 entries after each snapshot) while the
   * network holds every MsgSnap for node 3 and delivers or loses it later; it also replays old
   * copies, and cuts and heals the link to node 3. The host reports FINISH when a held snapshot is
   * delivered and FAILURE when it is lost.
   */
  private static void runRandomCompactions(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 3);
    c.recover();
    c.ignore(MessageType.MsgSnap);
    List<Message> held = new ArrayList<>();
    // Snapshot indexes sent, in order; -1 marks a failure report, after which a repeat is fine.
    List<Long> timeline = new ArrayList<>();
    List<String> history = new ArrayList<>();
    int snapshotsTaken = 0;
    int failures = 0;
    for (int step = 0; step < 60; step++) {
      int op = rnd.nextInt(9);
      if (op == 0 || op == 1) {
        c.propose(1, "s" + step);
      } else if (op == 2 && compact(c.node(1), rnd.nextInt(4))) {
        snapshotsTaken++;
        history.add("compact->" + c.node(1).storage().firstIndex());
      } else if (op == 3) {
        c.tick(1, 1);
      } else if (op == 4 && !held.isEmpty()) {
        Message m = held.remove(rnd.nextInt(held.size()));
        history.add("deliver " + index(m));
        deliver(c, m);
        c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
      } else if (op == 5 && !held.isEmpty()) {
        Message m = held.remove(rnd.nextInt(held.size()));
        history.add("lose " + index(m));
        c.node(1).raw().reportSnapshot(3, SnapshotStatus.FAILURE);
        failures++;
        timeline.add(-1L);
      } else if (op == 6 && !rec.sent.isEmpty()) {
        Message m = rec.sent.get(rnd.nextInt(rec.sent.size()));
        history.add("replay " + index(m));
        deliver(c, m);
      } else if (op == 7) {
        c.cut(1, 3);
        history.add("cut");
      } else if (op == 8) {
        c.recover();
        c.ignore(MessageType.MsgSnap);
        history.add("heal");
      }
      while (countSends(timeline) < rec.sent.size()) {
        Message m = rec.sent.get(countSends(timeline));
        held.add(m);
        timeline.add(index(m));
        history.add("sent " + index(m));
      }
    }
    checkSends(timeline, snapshotsTaken, failures, history);
    for (Message m : held) {
      deliver(c, m);
    }
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
    c.recover();
    c.tick(1, 3);
    c.propose(1, "end");
    assertEquals(state(c.node(1)), state(c.node(3)), history.toString());
  }

  private static void deliver(StepCluster c, Message m) {
    c.node(3).raw().step(m);
    c.stabilize();
  }

  private static long index(Message m) {
    return m.getSnapshot().getMetadata().getIndex();
  }

  private static int countSends(List<Long> timeline) {
    int n = 0;
    for (long i : timeline) {
      if (i >= 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Snapshots at the last applied index and compacts, keeping {@code keep} entries; false if
   * nothing new.
   */
  private static boolean compact(StepNode leader, int keep) {
    long applied = leader.appliedIndex();
    long compactTo = applied - keep;
    if (applied <= leader.storage().snapshot().getMetadata().getIndex()
        || compactTo < leader.storage().firstIndex()) {
      return false;
    }
    snapshotAndCompact(leader, compactTo);
    return true;
  }

  private static void checkSends(
      List<Long> timeline, int snapshotsTaken, int failures, List<String> history) {
    long last = -1;
    int sends = 0;
    for (long index : timeline) {
      if (index < 0) {
        last = -1; // after a failure the same snapshot may be sent again
        continue;
      }
      sends++;
      assertTrue(
          index > last,
          "snapshot " + index + " sent after " + last + " without a failure: " + history);
      last = index;
    }
    assertTrue(
        sends <= snapshotsTaken + failures,
        sends
            + " snapshots sent for "
            + snapshotsTaken
            + " taken and "
            + failures
            + " failed sends: "
            + history);
  }
}

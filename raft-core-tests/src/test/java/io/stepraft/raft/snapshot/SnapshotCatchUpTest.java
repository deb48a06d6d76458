package io.stepraft.raft.snapshot;

import static io.stepraft.raft.snapshot.SnapshotScenarios.laggingFollower3;
import static io.stepraft.raft.snapshot.SnapshotScenarios.snapshotAndCompactAll;
import static io.stepraft.raft.snapshot.SnapshotScenarios.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower that needs compacted entries gets a snapshot; the leader waits for it in SNAPSHOT
 * until the follower acknowledges or the host reports the outcome.
 */
class SnapshotCatchUpTest {

  /**
   * Node 3 holds the log up to index 5; the leader wrote up to 10, snapshotted and compacted
   * everything. On recovery the leader sends node 3 the snapshot; with {@code dropSnapshots} the
   * network loses every MsgSnap.
   */
  private static StepCluster snapshotSent(
      SnapshotScenarios.SentSnapshots rec, boolean dropSnapshots) {
    StepCluster c = laggingFollower3(b -> b.listener(rec), 5);
    assertEquals(10, snapshotAndCompactAll(c.node(1)).getMetadata().getIndex());
    c.recover();
    if (dropSnapshots) {
      c.ignore(MessageType.MsgSnap);
    }
    c.tick(1, 1);
    assertEquals(List.of(10L), rec.indexes());
    return c;
  }

  @Test
  void laggingFollowerRestoresTheSnapshotAcknowledgesItAndReplicationContinuesAfterIt() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 5);
    snapshotAndCompactAll(c.node(1));
    c.recover();
    c.recordDelivered(true);
    c.tick(1, 1);
    assertEquals(List.of(10L), rec.indexes());
    assertEquals(10, c.node(3).storage().snapshot().getMetadata().getIndex(), "node 3 restored it");
    assertTrue(
        c.delivered().stream()
            .anyMatch(
                m ->
                    m.getType() == MessageType.MsgAppResp
                        && m.getFrom() == 3
                        && !m.getReject()
                        && m.getIndex() == 10),
        "node 3 acknowledged the snapshot index");
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.REPLICATE, p.state());
    assertEquals(10, p.match());

    c.propose(1, "after");
    assertEquals(state(c.node(1)), state(c.node(3)));
    assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "after"), state(c.node(3)));
    List<Entry> appliedAfter = c.node(3).applied().stream().filter(e -> e.getIndex() > 5).toList();
    assertEquals(
        11, appliedAfter.get(0).getIndex(), "node 3 applies from right after the snapshot");
    int snapAt = Messages.indexOfFirst(c.delivered(), MessageType.MsgSnap);
    for (Message m : c.delivered().subList(snapAt, c.delivered().size())) {
      if (m.getType() == MessageType.MsgApp && m.getTo() == 3) {
        assertTrue(m.getIndex() >= 10, "append after the snapshot starts behind it: " + m);
      }
    }
  }

  @Test
  void leaderSendsNothingButHeartbeatsToAFollowerInSnapshotUntilItHearsBack() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = snapshotSent(rec, true);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.SNAPSHOT, p.state());
    assertEquals(10, p.pendingSnapshot());
    assertTrue(p.paused());
    c.recordDelivered(true);
    c.propose(1, "x");
    c.tick(1, 5);
    for (Message m : c.delivered()) {
      if (m.getTo() == 3) {
        assertEquals(MessageType.MsgHeartbeat, m.getType(), "only heartbeats go to node 3: " + m);
      }
    }
    assertEquals(1, rec.sent.size(), "no second snapshot while the first is pending");
    assertEquals(ProgressState.SNAPSHOT, c.node(1).progress(3).state());
  }

  @Test
  void reportSnapshotFailureProbesAndTheNextHeartbeatResponseTriggersANewSnapshot() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = snapshotSent(rec, true);
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FAILURE);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.PROBE, p.state());
    assertEquals(0, p.pendingSnapshot(), "the failed snapshot is forgotten");
    assertEquals(p.match() + 1, p.next());
    assertTrue(p.paused(), "waits for a heartbeat interval before retrying");
    c.stabilize();
    assertEquals(1, rec.sent.size(), "no retry before the heartbeat");
    c.recover();
    c.tick(1, 1);
    assertEquals(List.of(10L, 10L), rec.indexes());
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.propose(1, "b");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void reportSnapshotFinishProbesAfterTheSnapshotThenTheFollowersAckResumesReplication() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = snapshotSent(rec, true);
    c.recover();
    c.node(3).raw().step(rec.last());
    List<Message> ack = c.collect(3);
    assertEquals(1, ack.size(), ack.toString());
    assertEquals(MessageType.MsgAppResp, ack.get(0).getType());
    assertEquals(10, ack.get(0).getIndex());

    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.PROBE, p.state());
    assertEquals(11, p.next(), "probing resumes right after the snapshot");
    assertTrue(p.paused(), "until the follower's answer or a heartbeat response");

    c.send(ack.get(0));
    p = c.node(1).progress(3);
    assertEquals(ProgressState.REPLICATE, p.state());
    assertEquals(10, p.match());
    c.propose(1, "c");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void reportSnapshotAfterTheFollowerAlreadyCaughtUpChangesNothing() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = snapshotSent(rec, false);
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FAILURE);
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.REPLICATE, p.state());
    assertFalse(p.paused());
    c.propose(1, "d");
    assertEquals(state(c.node(1)), state(c.node(3)));
    assertEquals(1, rec.sent.size());
  }
}

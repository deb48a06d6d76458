package io.stepraft.raft.snapshot;

import static io.stepraft.raft.snapshot.SnapshotScenarios.laggingFollower3;
import static io.stepraft.raft.snapshot.SnapshotScenarios.snapshotAndCompactAll;
import static io.stepraft.raft.snapshot.SnapshotScenarios.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.Role;
import io.stepraft.raft.SnapshotTemporarilyUnavailableException;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the leader does, and does not, send a snapshot; and reportUnreachable. */
class SnapshotSendingRulesTest {

  /**
   * A MemoryStorage whose snapshot() is unavailable the first {@code failures} times it is asked.
   */
  static final class FlakySnapshotStorage implements Storage {
    final MemoryStorage inner;
    int failuresLeft;
    int calls;

    FlakySnapshotStorage(MemoryStorage inner, int failures) {
      this.inner = inner;
      this.failuresLeft = failures;
    }

    @Override
    public Snapshot snapshot() {
      calls++;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new SnapshotTemporarilyUnavailableException();
      }
      return inner.snapshot();
    }

    @Override
    public InitialState initialState() {
      return inner.initialState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
      return inner.entries(lo, hi, maxSizeBytes);
    }

    @Override
    public long term(long index) {
      return inner.term(index);
    }

    @Override
    public long lastIndex() {
      return inner.lastIndex();
    }

    @Override
    public long firstIndex() {
      return inner.firstIndex();
    }
  }

  @Test
  void temporarilyUnavailableSnapshotIsRetriedOnLaterHeartbeatsUntilItCanBeSent() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    FlakySnapshotStorage[] leaderStorage = new FlakySnapshotStorage[1];
    StepCluster c =
        StepCluster.createWrapped(
            3,
            b -> b.listener(rec),
            (id, ms) -> {
              if (id != 1) {
                return ms;
              }
              leaderStorage[0] = new FlakySnapshotStorage(ms, 3);
              return leaderStorage[0];
            });
    c.campaign(1);
    c.propose(1, "a0");
    c.isolate(3);
    c.propose(1, "a1");
    snapshotAndCompactAll(c.node(1));
    c.recover();
    for (int tick = 1; tick <= 3; tick++) {
      c.tick(1, 1);
      assertEquals(tick, leaderStorage[0].calls, "asked once per heartbeat response");
      assertTrue(rec.sent.isEmpty());
      assertEquals(
          ProgressState.PROBE, c.node(1).progress(3).state(), "stays probing while unavailable");
    }
    c.tick(1, 1);
    assertEquals(1, rec.sent.size(), "sent once the storage could produce it");
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.propose(1, "a2");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void noSnapshotIsSentToAFollowerThatWasNotRecentlyActive() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.checkQuorum(true).listener(rec), 3);
    // Two quorum checks: the first clears node 3's activity from before the cut, the second
    // confirms it stayed silent. Node 2 keeps the leader in office.
    c.tick(1, 20);
    assertEquals(Role.LEADER, c.node(1).role());
    assertFalse(c.node(1).progress(3).recentActive());
    snapshotAndCompactAll(c.node(1));
    c.node(1).raw().reportUnreachable(3);
    c.propose(1, "more");
    assertEquals(ProgressState.PROBE, c.node(1).progress(3).state(), "would need a snapshot");
    assertTrue(rec.sent.isEmpty(), "but node 3 is not recently active");

    c.recover();
    c.tick(1, 1);
    assertEquals(1, rec.sent.size(), "sent once node 3 answered a heartbeat");
    c.propose(1, "last");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void unreachableMovesAReplicatingFollowerToProbeAtItsMatchAndAHeartbeatRestoresIt() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    PeerProgress before = c.node(1).progress(2);
    assertEquals(ProgressState.REPLICATE, before.state());
    c.node(1).raw().reportUnreachable(2);
    PeerProgress p = c.node(1).progress(2);
    assertEquals(ProgressState.PROBE, p.state());
    assertEquals(p.match() + 1, p.next());
    c.tick(1, 1);
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(2).state());
  }

  @Test
  void reportUnreachableLeavesProbeAndSnapshotStatesAlone() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 3);
    snapshotAndCompactAll(c.node(1));
    c.recover();
    c.ignore(MessageType.MsgSnap);
    c.tick(1, 1);
    assertEquals(ProgressState.SNAPSHOT, c.node(1).progress(3).state());
    c.node(1).raw().reportUnreachable(3);
    PeerProgress p = c.node(1).progress(3);
    assertEquals(ProgressState.SNAPSHOT, p.state(), "only the host's reportSnapshot ends SNAPSHOT");
    assertEquals(rec.last().getSnapshot().getMetadata().getIndex(), p.pendingSnapshot());

    StepCluster d = StepCluster.create(3);
    d.campaign(1);
    d.node(1).raw().reportUnreachable(2);
    PeerProgress probe = d.node(1).progress(2);
    d.node(1).raw().reportUnreachable(2);
    assertEquals(probe, d.node(1).progress(2), "a second report changes nothing");
  }
}

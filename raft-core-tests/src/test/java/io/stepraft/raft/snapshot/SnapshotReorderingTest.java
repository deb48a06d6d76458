package io.stepraft.raft.snapshot;

import static io.stepraft.raft.snapshot.SnapshotScenarios.laggingFollower3;
import static io.stepraft.raft.snapshot.SnapshotScenarios.snapshotAndCompactAll;
import static io.stepraft.raft.snapshot.SnapshotScenarios.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * Snapshots duplicated and reordered by the network: the follower installs each index at most once,
 * never goes back to an older one, and its commit index never decreases.
 */
class SnapshotReorderingTest {
  private static final int CASES = 300;

  /** Two snapshot messages for node 3, at 10 and at 15, both lost by the network when sent. */
  private record TwoSnapshots(StepCluster cluster, Message older, Message newer) {}

  private static TwoSnapshots twoSnapshotsInFlight() {
    SnapshotScenarios.SentSnapshots rec = new SnapshotScenarios.SentSnapshots();
    StepCluster c = laggingFollower3(b -> b.listener(rec), 5);
    snapshotAndCompactAll(c.node(1));
    c.recover();
    c.ignore(MessageType.MsgSnap);
    c.tick(1, 1);
    Message older = rec.last();
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FAILURE);
    for (int i = 6; i <= 10; i++) {
      c.propose(1, "a" + i);
    }
    snapshotAndCompactAll(c.node(1));
    c.tick(1, 1);
    Message newer = rec.last();
    assertEquals(List.of(10L, 15L), rec.indexes());
    assertEquals(5, c.node(3).commit(), "node 3 received neither");
    c.recover();
    return new TwoSnapshots(c, older, newer);
  }

  /** Delivers one message to node 3 and checks that it did not go backwards. */
  private static void deliverAndCheck(StepCluster c, Message m, String what) {
    StepNode f = c.node(3);
    long commitBefore = f.commit();
    long snapBefore = f.storage().snapshot().getMetadata().getIndex();
    c.send(m);
    assertTrue(
        f.commit() >= commitBefore,
        what + ": commit went from " + commitBefore + " to " + f.commit());
    long snapAfter = f.storage().snapshot().getMetadata().getIndex();
    assertTrue(
        snapAfter >= snapBefore, what + ": snapshot went from " + snapBefore + " to " + snapAfter);
  }

  @Test
  void anOlderSnapshotArrivingAfterANewerOneIsIgnoredAndAnsweredWithTheCommitIndex() {
    TwoSnapshots t = twoSnapshotsInFlight();
    StepCluster c = t.cluster();
    deliverAndCheck(c, t.newer(), "newer");
    assertEquals(15, c.node(3).storage().snapshot().getMetadata().getIndex());
    c.recordDelivered(true);
    deliverAndCheck(c, t.older(), "older after newer");
    assertEquals(15, c.node(3).storage().snapshot().getMetadata().getIndex(), "not restored");
    Message answer =
        c.delivered().stream()
            .filter(m -> m.getFrom() == 3 && m.getType() == MessageType.MsgAppResp)
            .findFirst()
            .orElseThrow();
    assertEquals(c.node(3).commit(), answer.getIndex());
    c.propose(1, "z");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void aDuplicatedSnapshotIsInstalledOnce() {
    TwoSnapshots t = twoSnapshotsInFlight();
    StepCluster c = t.cluster();
    deliverAndCheck(c, t.newer(), "first copy");
    List<String> once = state(c.node(3));
    deliverAndCheck(c, t.newer(), "second copy");
    assertEquals(once, state(c.node(3)));
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.propose(1, "z");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void theOlderSnapshotFirstIsInstalledThenReplacedByTheNewerAndTheLeaderNeedsNoThird() {
    TwoSnapshots t = twoSnapshotsInFlight();
    StepCluster c = t.cluster();
    deliverAndCheck(c, t.older(), "older");
    assertEquals(10, c.node(3).storage().snapshot().getMetadata().getIndex());
    assertEquals(
        ProgressState.SNAPSHOT,
        c.node(1).progress(3).state(),
        "index 10 is not enough: the log starts at 16");
    deliverAndCheck(c, t.newer(), "newer");
    assertEquals(ProgressState.REPLICATE, c.node(1).progress(3).state());
    c.propose(1, "z");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void twoSnapshotsSteppedBeforeTheHostPersistsEitherInstallOnlyTheNewer() {
    TwoSnapshots t = twoSnapshotsInFlight();
    StepCluster c = t.cluster();
    c.send(t.older(), t.newer());
    assertEquals(15, c.node(3).storage().snapshot().getMetadata().getIndex());
    c.propose(1, "z");
    assertEquals(state(c.node(1)), state(c.node(3)));
  }

  @Test
  void anyInterleavingOfDuplicatedAndReorderedSnapshotsConvergesWithoutGoingBackwards() {
    for (long seed = 1; seed <= CASES; seed++) {
      try {
        runRandomInterleaving(seed);
      } catch (AssertionError | RuntimeException e) {
        fail("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void runRandomInterleaving(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TwoSnapshots t = twoSnapshotsInFlight();
    StepCluster c = t.cluster();
    List<Message> copies = new ArrayList<>();
    int n = 1 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      copies.add(rnd.nextBoolean() ? t.older() : t.newer());
    }
    for (Message m : copies) {
      if (rnd.nextInt(4) == 0) {
        c.node(1)
            .raw()
            .reportSnapshot(3, rnd.nextBoolean() ? SnapshotStatus.FINISH : SnapshotStatus.FAILURE);
      }
      deliverAndCheck(
          c, m, "copy of " + m.getSnapshot().getMetadata().getIndex() + " in " + indexes(copies));
      if (rnd.nextBoolean()) {
        c.tick(1, 1);
      }
    }
    // The host eventually reports every send; the leader then does what is left.
    c.node(1).raw().reportSnapshot(3, SnapshotStatus.FINISH);
    c.tick(1, 2);
    c.propose(1, "end");
    assertEquals(state(c.node(1)), state(c.node(3)), "after " + indexes(copies));
  }

  private static List<Long> indexes(List<Message> msgs) {
    return msgs.stream().map(m -> m.getSnapshot().getMetadata().getIndex()).toList();
  }
}

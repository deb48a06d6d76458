package io.stepraft.raft.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one follower handles a MsgSnap, driven by hand: restore, fast-forward, or ignore. */
class FollowerSnapshotTest {
  private static final ConfState VOTERS_123 = ConfStates.voters(1, 2, 3);

  /**
   * Node 2 with entries 2..lastIndex of term 1 after a snapshot at (1, 1), and this commit index;
   * the Readies it handles from then on are kept.
   */
  private static final class Follower {
    final StepNode node;
    final List<Ready> readies = new ArrayList<>();

    Follower(long lastIndex, long commit) {
      List<Entry> ents = new ArrayList<>();
      for (long i = 2; i <= lastIndex; i++) {
        ents.add(Entries.entry(i, 1, "e" + i));
      }
      MemoryStorage storage =
          Storages.withEntries(snapshot(1, 1, VOTERS_123), ents, Storages.hardState(1, 0, commit));
      node = StepNode.of(Config.builder().id(2).storage(storage).build());
      node.drain();
      node.onReady(readies::add);
    }

    boolean restoredAny() {
      return readies.stream().anyMatch(Ready::hasSnapshot);
    }
  }

  private static Snapshot snapshot(long index, long term, ConfState cs) {
    return Snapshots.snapshot(index, term, cs, "state@" + index);
  }

  private static Message msgSnap(long term, Snapshot s) {
    return Messages.message(MessageType.MsgSnap, 1, 2, term).setSnapshot(s).build();
  }

  private static Message onlyAppResp(List<Message> out) {
    assertEquals(1, out.size(), out.toString());
    Message m = out.get(0);
    assertEquals(MessageType.MsgAppResp, m.getType());
    assertEquals(1, m.getTo());
    assertFalse(m.getReject());
    return m;
  }

  /**
   * The follower acknowledges a restored snapshot in the same Ready that carries it, so the Ready
   * must be synced before it is sent even when the term and vote did not change (etcd's raft leaves
   * the snapshot out of MustSync).
   */
  @Test
  void aReadyThatCarriesASnapshotMustBeSyncedEvenInTheSameTerm() {
    Follower f = new Follower(3, 3);
    f.node.step(msgSnap(1, snapshot(8, 1, VOTERS_123)));
    f.node.drain();
    Ready withSnapshot = f.readies.stream().filter(Ready::hasSnapshot).findFirst().orElseThrow();
    assertTrue(
        withSnapshot.messages().stream().anyMatch(m -> m.getType() == MessageType.MsgAppResp));
    assertTrue(withSnapshot.mustSync(), "the snapshot it acknowledges must be durable first");
  }

  @Test
  void snapshotOlderThanTheCommitIndexIsIgnoredAndAnsweredWithTheCommitIndex() {
    Follower f = new Follower(10, 10);
    f.node.step(msgSnap(1, snapshot(5, 1, VOTERS_123)));
    assertEquals(10, onlyAppResp(f.node.drain()).getIndex());
    assertFalse(f.restoredAny());
    assertEquals(1, f.node.storage().snapshot().getMetadata().getIndex());
  }

  @Test
  void snapshotAtExactlyTheCommitIndexIsIgnoredToo() {
    Follower f = new Follower(10, 10);
    f.node.step(msgSnap(1, snapshot(10, 1, VOTERS_123)));
    assertEquals(10, onlyAppResp(f.node.drain()).getIndex());
    assertFalse(f.restoredAny());
  }

  @Test
  void snapshotWhoseLastEntryTheFollowerHoldsOnlyFastForwardsTheCommitIndex() {
    Follower f = new Follower(10, 5);
    f.node.step(msgSnap(1, snapshot(8, 1, VOTERS_123)));
    assertEquals(8, onlyAppResp(f.node.drain()).getIndex());
    assertFalse(f.restoredAny(), "the log already holds (8, 1): nothing to restore");
    assertEquals(8, f.node.commit());
    assertEquals(10, f.node.storage().lastIndex(), "entries after the snapshot index are kept");
  }

  @Test
  void snapshotThatDisagreesWithTheLogReplacesTheLogAndIsAcknowledgedAtItsIndex() {
    Follower f = new Follower(10, 5);
    f.node.step(msgSnap(2, snapshot(8, 2, VOTERS_123)));
    assertEquals(8, onlyAppResp(f.node.drain()).getIndex());
    assertTrue(f.restoredAny());
    assertEquals(8, f.node.commit());
    assertEquals(9, f.node.storage().firstIndex());
    assertEquals(8, f.node.storage().lastIndex(), "the conflicting entries 9 and 10 are gone");
  }

  @Test
  void theAcknowledgementOfARestoredSnapshotLeavesWithTheReadyThatPersistsIt() {
    Follower f = new Follower(3, 3);
    f.node.step(msgSnap(1, snapshot(20, 1, VOTERS_123)));
    Ready rd = f.node.raw().ready();
    assertTrue(rd.hasSnapshot());
    assertEquals(1, rd.messages().size(), "sent only after the host persisted this Ready");
    assertEquals(20, rd.messages().get(0).getIndex());
    f.node.handle(rd);
  }

  @Test
  void entriesThatFollowARestoredSnapshotAreAppliedOnlyAfterTheSnapshotIsPersisted() {
    Follower f = new Follower(3, 3);
    f.node.step(msgSnap(2, snapshot(8, 2, VOTERS_123)));
    f.node.step(
        Messages.message(MessageType.MsgApp, 1, 2, 2)
            .setIndex(8)
            .setLogTerm(2)
            .setCommit(10)
            .addEntries(Entries.entry(9, 2, "x"))
            .addEntries(Entries.entry(10, 2, "y"))
            .build());
    f.node.drain();
    Ready first = f.readies.get(0);
    assertTrue(first.hasSnapshot());
    assertEquals(2, first.entries().size());
    assertTrue(
        first.committedEntries().isEmpty(), "nothing applies on top of an unpersisted snapshot");
    List<Long> applied =
        f.readies.stream()
            .flatMap(r -> r.committedEntries().stream())
            .map(Entry::getIndex)
            .toList();
    assertEquals(List.of(9L, 10L), applied);
  }

  @Test
  void followerThatIsNotInTheSnapshotsConfigurationIgnoresIt() {
    Follower f = new Follower(10, 5);
    ConfState without2 = ConfStates.voters(1, 3);
    f.node.step(msgSnap(2, snapshot(20, 2, without2)));
    assertEquals(5, onlyAppResp(f.node.drain()).getIndex());
    assertFalse(f.restoredAny());
    assertEquals(5, f.node.commit());
  }

  @Test
  void learnerOrOutgoingVoterInTheSnapshotsConfigurationRestoresItAndAdoptsTheConfiguration() {
    Follower learner = new Follower(10, 5);
    ConfState asLearner = ConfStates.withLearners(ConfStates.voters(1, 3), 2);
    learner.node.step(msgSnap(2, snapshot(20, 2, asLearner)));
    learner.node.drain();
    assertTrue(learner.restoredAny());
    assertEquals(List.of(2L), learner.node.raw().status().config().getLearnersList());

    Follower outgoing = new Follower(10, 5);
    ConfState joint = ConfStates.joint(ConfStates.voters(1, 3, 4), VOTERS_123);
    outgoing.node.step(msgSnap(2, snapshot(20, 2, joint)));
    outgoing.node.drain();
    assertTrue(outgoing.restoredAny());
    assertEquals(
        List.of(1L, 2L, 3L), outgoing.node.raw().status().config().getVotersOutgoingList());
  }

  @Test
  void candidateReceivingASnapshotFromALeaderOfItsTermBecomesItsFollowerAndRestoresIt() {
    Follower f = new Follower(10, 5);
    f.node.raw().campaign();
    f.node.drain();
    assertEquals(Role.CANDIDATE, f.node.role());
    long term = f.node.term();
    f.node.step(msgSnap(term, snapshot(20, term, VOTERS_123)));
    assertEquals(20, onlyAppResp(f.node.drain()).getIndex());
    assertEquals(Role.FOLLOWER, f.node.role());
    assertEquals(1, f.node.lead());
    assertTrue(f.restoredAny());
  }
}

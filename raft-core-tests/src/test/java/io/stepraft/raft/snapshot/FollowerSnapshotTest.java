package io.stepraft.raft.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one follower handles a MsgSnap, driven by hand: restore, fast-forward, or ignore. */
class FollowerSnapshotTest {
  private static final ConfState VOTERS_123 =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();

  /**
   * Node 2 with entries 2..lastIndex of term 1 after a snapshot at (1, 1), and this commit index.
   */
  private static final class Follower {
    final MemoryStorage storage = new MemoryStorage();
    final RawNode node;
    final List<Ready> readies = new ArrayList<>();

    Follower(long lastIndex, long commit) {
      storage.applySnapshot(snapshot(1, 1, VOTERS_123));
      List<Entry> ents = new ArrayList<>();
      for (long i = 2; i <= lastIndex; i++) {
        ents.add(
            Entry.newBuilder()
                .setIndex(i)
                .setTerm(1)
                .setData(ByteString.copyFromUtf8("e" + i))
                .build());
      }
      storage.append(ents);
      storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(commit).build());
      node = new RawNode(Config.builder().id(2).storage(storage).build());
      handle();
      readies.clear();
    }

    /** Handles every Ready as a host would and returns the messages to send. */
    List<Message> handle() {
      List<Message> out = new ArrayList<>();
      while (node.hasReady()) {
        Ready rd = node.ready();
        readies.add(rd);
        if (rd.hasSnapshot()) {
          storage.applySnapshot(rd.snapshot());
        }
        storage.append(rd.entries());
        if (rd.hasHardState()) {
          storage.setHardState(rd.hardState());
        }
        out.addAll(rd.messages());
        node.advance(rd);
      }
      return out;
    }

    long commit() {
      return node.basicStatus().hardState().getCommit();
    }

    boolean restoredAny() {
      return readies.stream().anyMatch(Ready::hasSnapshot);
    }
  }

  static Snapshot snapshot(long index, long term, ConfState cs) {
    return Snapshot.newBuilder()
        .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(cs))
        .setData(ByteString.copyFromUtf8("state@" + index))
        .build();
  }

  static Message msgSnap(long term, Snapshot s) {
    return Message.newBuilder()
        .setType(MessageType.MsgSnap)
        .setFrom(1)
        .setTo(2)
        .setTerm(term)
        .setSnapshot(s)
        .build();
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
    f.handle();
    Ready withSnapshot = f.readies.stream().filter(Ready::hasSnapshot).findFirst().orElseThrow();
    assertTrue(
        withSnapshot.messages().stream().anyMatch(m -> m.getType() == MessageType.MsgAppResp));
    assertTrue(withSnapshot.mustSync(), "the snapshot it acknowledges must be durable first");
  }

  @Test
  void snapshotOlderThanTheCommitIndexIsIgnoredAndAnsweredWithTheCommitIndex() {
    Follower f = new Follower(10, 10);
    f.node.step(msgSnap(1, snapshot(5, 1, VOTERS_123)));
    assertEquals(10, onlyAppResp(f.handle()).getIndex());
    assertFalse(f.restoredAny());
    assertEquals(1, f.storage.snapshot().getMetadata().getIndex());
  }

  @Test
  void snapshotAtExactlyTheCommitIndexIsIgnoredToo() {
    Follower f = new Follower(10, 10);
    f.node.step(msgSnap(1, snapshot(10, 1, VOTERS_123)));
    assertEquals(10, onlyAppResp(f.handle()).getIndex());
    assertFalse(f.restoredAny());
  }

  @Test
  void snapshotWhoseLastEntryTheFollowerHoldsOnlyFastForwardsTheCommitIndex() {
    Follower f = new Follower(10, 5);
    f.node.step(msgSnap(1, snapshot(8, 1, VOTERS_123)));
    assertEquals(8, onlyAppResp(f.handle()).getIndex());
    assertFalse(f.restoredAny(), "the log already holds (8, 1): nothing to restore");
    assertEquals(8, f.commit());
    assertEquals(10, f.storage.lastIndex(), "entries after the snapshot index are kept");
  }

  @Test
  void snapshotThatDisagreesWithTheLogReplacesTheLogAndIsAcknowledgedAtItsIndex() {
    Follower f = new Follower(10, 5);
    f.node.step(msgSnap(2, snapshot(8, 2, VOTERS_123)));
    assertEquals(8, onlyAppResp(f.handle()).getIndex());
    assertTrue(f.restoredAny());
    assertEquals(8, f.commit());
    assertEquals(9, f.storage.firstIndex());
    assertEquals(8, f.storage.lastIndex(), "the conflicting entries 9 and 10 are gone");
  }

  @Test
  void theAcknowledgementOfARestoredSnapshotLeavesWithTheReadyThatPersistsIt() {
    Follower f = new Follower(3, 3);
    f.node.step(msgSnap(1, snapshot(20, 1, VOTERS_123)));
    Ready rd = f.node.ready();
    assertTrue(rd.hasSnapshot());
    assertEquals(1, rd.messages().size(), "sent only after the host persisted this Ready");
    assertEquals(20, rd.messages().get(0).getIndex());
    f.node.advance(rd);
  }

  @Test
  void entriesThatFollowARestoredSnapshotAreAppliedOnlyAfterTheSnapshotIsPersisted() {
    Follower f = new Follower(3, 3);
    f.node.step(msgSnap(2, snapshot(8, 2, VOTERS_123)));
    f.node.step(
        Message.newBuilder()
            .setType(MessageType.MsgApp)
            .setFrom(1)
            .setTo(2)
            .setTerm(2)
            .setIndex(8)
            .setLogTerm(2)
            .setCommit(10)
            .addEntries(
                Entry.newBuilder().setIndex(9).setTerm(2).setData(ByteString.copyFromUtf8("x")))
            .addEntries(
                Entry.newBuilder().setIndex(10).setTerm(2).setData(ByteString.copyFromUtf8("y")))
            .build());
    f.handle();
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
    ConfState without2 = ConfState.newBuilder().addVoters(1).addVoters(3).build();
    f.node.step(msgSnap(2, snapshot(20, 2, without2)));
    assertEquals(5, onlyAppResp(f.handle()).getIndex());
    assertFalse(f.restoredAny());
    assertEquals(5, f.commit());
  }

  @Test
  void learnerOrOutgoingVoterInTheSnapshotsConfigurationRestoresItAndAdoptsTheConfiguration() {
    Follower learner = new Follower(10, 5);
    ConfState asLearner = ConfState.newBuilder().addVoters(1).addVoters(3).addLearners(2).build();
    learner.node.step(msgSnap(2, snapshot(20, 2, asLearner)));
    learner.handle();
    assertTrue(learner.restoredAny());
    assertEquals(List.of(2L), learner.node.status().config().getLearnersList());

    Follower outgoing = new Follower(10, 5);
    ConfState joint =
        ConfState.newBuilder()
            .addVoters(1)
            .addVoters(3)
            .addVoters(4)
            .addVotersOutgoing(1)
            .addVotersOutgoing(2)
            .addVotersOutgoing(3)
            .build();
    outgoing.node.step(msgSnap(2, snapshot(20, 2, joint)));
    outgoing.handle();
    assertTrue(outgoing.restoredAny());
    assertEquals(List.of(1L, 2L, 3L), outgoing.node.status().config().getVotersOutgoingList());
  }

  @Test
  void candidateReceivingASnapshotFromALeaderOfItsTermBecomesItsFollowerAndRestoresIt() {
    Follower f = new Follower(10, 5);
    f.node.campaign();
    f.handle();
    assertEquals(Role.CANDIDATE, f.node.basicStatus().softState().role());
    long term = f.node.basicStatus().hardState().getTerm();
    f.node.step(msgSnap(term, snapshot(20, term, VOTERS_123)));
    assertEquals(20, onlyAppResp(f.handle()).getIndex());
    assertEquals(Role.FOLLOWER, f.node.basicStatus().softState().role());
    assertEquals(1, f.node.basicStatus().softState().lead());
    assertTrue(f.restoredAny());
  }
}

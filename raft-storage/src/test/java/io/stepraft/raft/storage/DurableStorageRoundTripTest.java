package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readies from a real three-node cluster saved to DurableStorage, closed and reopened: every node
 * restarts with the same hard state, log and snapshot, and the cluster goes on.
 */
class DurableStorageRoundTripTest {
  @TempDir Path root;

  private static StorageOptions options() {
    return StorageOptions.builder()
        .segmentSizeBytes(16 << 10)
        .metadata(ByteString.copyFromUtf8("cluster-a"))
        .build();
  }

  @Test
  void aRestartedClusterFindsEveryNodesHardStateLogAndSnapshot() {
    Map<Long, StorageState> before = new HashMap<>();
    try (RaftHarness h = new RaftHarness(root, options(), 1, 2, 3)) {
      h.startAll();
      h.elect(1);
      for (int i = 0; i < 200; i++) {
        h.propose(1, "cmd-" + i + "-" + "x".repeat(i % 50));
      }
      h.snapshotAndCompact(2, 10);
      for (int i = 200; i < 220; i++) {
        h.propose(1, "cmd-" + i);
      }
      for (RaftHarness.Node n : h.nodes.values()) {
        before.put(n.id, StorageState.of(n.storage.raftStorage()));
        assertEquals(220, n.applied.size());
      }
      assertTrue(
          h.nodes.get(2L).storage.wal().segmentNames().get(0).seq() > 0,
          "node 2 released old segments: " + h.nodes.get(2L).storage.wal().segmentNames());
    }
    try (RaftHarness h = new RaftHarness(root, options(), 1, 2, 3)) {
      h.startAll();
      for (RaftHarness.Node n : h.nodes.values()) {
        assertFalse(n.storage.isEmpty());
        assertEquals(ByteString.copyFromUtf8("cluster-a"), n.storage.metadata());
        StorageState was = before.get(n.id);
        StorageState now = StorageState.of(n.storage.raftStorage());
        assertEquals(was.hardState(), now.hardState(), "node " + n.id);
        assertEquals(was.snapshot(), now.snapshot(), "node " + n.id);
        // As in etcd, the restarted log begins right after the snapshot: entries kept before it
        // for slow followers are not reloaded.
        long snapIndex = was.snapshot().getIndex();
        assertEquals(snapIndex + 1, now.firstIndex(), "node " + n.id);
        assertEquals(was.lastIndex(), now.lastIndex(), "node " + n.id);
        assertEquals(
            was.entries().subList((int) (snapIndex + 1 - was.firstIndex()), was.entries().size()),
            now.entries(),
            "node " + n.id);
        assertEquals(before.get(n.id).hardState(), n.raw.basicStatus().hardState());
      }
      assertTrue(h.nodes.get(2L).storage.snapshotData().toStringUtf8().startsWith("cmd-0-"));
      h.elect(3);
      h.propose(3, "after-restart");
      for (RaftHarness.Node n : h.nodes.values()) {
        assertEquals("after-restart", n.applied.get(n.applied.size() - 1), "node " + n.id);
        assertEquals(221, n.applied.size(), "node " + n.id);
      }
    }
  }

  @Test
  void aNewDirectoryIsEmptyAndKeepsItsMetadata() {
    Path dir = root.resolve("fresh");
    try (DurableStorage ds = DurableStorage.open(dir, options())) {
      assertTrue(ds.isEmpty());
      assertEquals(0, ds.raftStorage().lastIndex());
      assertEquals(ByteString.EMPTY, ds.snapshotData());
    }
    try (DurableStorage ds =
        DurableStorage.open(dir, StorageOptions.builder().segmentSizeBytes(16 << 10).build())) {
      assertTrue(ds.isEmpty());
      assertEquals(ByteString.copyFromUtf8("cluster-a"), ds.metadata());
    }
  }

  /**
   * A crash that tears the bootstrap's first write after its first entry (one configuration change,
   * adding node 1) but before its hard state: the node acknowledged nothing, so it restarts empty
   * and is bootstrapped again, instead of restarting with a configuration of just itself.
   */
  @Test
  void aTornFirstWriteWithoutAHardStateRestartsEmpty() {
    Path dir = root.resolve("n1");
    List<Entry> bootstrap = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      ConfChange cc =
          ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(id).build();
      bootstrap.add(
          Entry.newBuilder()
              .setTerm(1)
              .setIndex(id)
              .setType(EntryType.EntryConfChange)
              .setData(cc.toByteString())
              .build());
    }
    try (DurableStorage ds = DurableStorage.open(dir, options())) {
      ds.save(null, bootstrap.subList(0, 1), null, true); // the durable prefix of the torn write
    }
    HardState hs = HardState.newBuilder().setTerm(1).setCommit(3).build();
    try (DurableStorage ds = DurableStorage.open(dir, options())) {
      assertTrue(ds.isEmpty(), "nothing was acknowledged: the node starts empty");
      assertEquals(0, ds.raftStorage().lastIndex());
      ds.save(null, bootstrap, hs, true); // bootstrapped again
    }
    try (DurableStorage ds = DurableStorage.open(dir, options())) {
      assertFalse(ds.isEmpty());
      assertEquals(bootstrap, ds.raftStorage().entries(1, 4, Long.MAX_VALUE));
      assertEquals(hs, ds.raftStorage().hardState());
    }
  }

  @Test
  void aFollowerThatCaughtUpByASnapshotRestartsFromThatSnapshot() {
    StorageState caughtUp;
    try (RaftHarness h = new RaftHarness(root, options(), 1, 2, 3)) {
      h.startAll();
      h.elect(1);
      h.propose(1, "early");
      h.stop(3);
      for (int i = 0; i < 50; i++) {
        h.propose(1, "late-" + i);
      }
      h.snapshotAndCompact(1, 5);
      h.start(3);
      h.propose(1, "after");
      RaftHarness.Node n3 = h.nodes.get(3L);
      assertEquals(
          n3.storage.raftStorage().snapshot().getMetadata().getIndex() + 1,
          n3.storage.raftStorage().firstIndex());
      assertTrue(n3.storage.raftStorage().snapshot().getMetadata().getIndex() > 4);
      assertEquals("after", n3.applied.get(n3.applied.size() - 1));
      caughtUp = StorageState.of(n3.storage.raftStorage());
    }
    try (RaftHarness h = new RaftHarness(root, options(), 1, 2, 3)) {
      RaftHarness.Node n3 = h.start(3);
      assertEquals(caughtUp, StorageState.of(n3.storage.raftStorage()));
      assertTrue(n3.applied.contains("late-49"), "restored from the received snapshot's data");
    }
  }

  @Test
  void aPowerCutOnEveryNodeLosesNoEntryTermOrVoteOnlyUnsyncedCommitIndexes() throws Exception {
    java.util.Map<Long, FaultyFileIo> disks = new HashMap<>();
    Map<Long, StorageState> before = new HashMap<>();
    try (RaftHarness h =
        new RaftHarness(
            root,
            options(),
            id -> disks.computeIfAbsent(id, x -> new FaultyFileIo().holdUnsyncedWrites()),
            1,
            2,
            3)) {
      h.startAll();
      h.elect(1);
      for (int i = 0; i < 60; i++) {
        h.propose(1, "cmd-" + i);
      }
      h.elect(2);
      h.propose(2, "last");
      for (RaftHarness.Node n : h.nodes.values()) {
        before.put(n.id, StorageState.of(n.storage.raftStorage()));
      }
      for (long id = 1; id <= 3; id++) {
        RaftHarness.Node n = h.abandon(id);
        disks.get(id).powerLoss(new java.util.Random(id));
        // The process "dies": nothing more reaches the files; closing only releases the lock.
        assertThrows(WalFailedException.class, n.storage::close);
      }
    }
    try (RaftHarness h = new RaftHarness(root, options(), 1, 2, 3)) {
      h.startAll();
      for (RaftHarness.Node n : h.nodes.values()) {
        StorageState was = before.get(n.id);
        StorageState now = StorageState.of(n.storage.raftStorage());
        assertEquals(was.entries(), now.entries(), "node " + n.id);
        assertEquals(was.hardState().getTerm(), now.hardState().getTerm(), "node " + n.id);
        assertEquals(was.hardState().getVote(), now.hardState().getVote(), "node " + n.id);
        assertTrue(now.hardState().getCommit() <= was.hardState().getCommit(), "node " + n.id);
      }
      h.elect(3);
      h.propose(3, "after the cut");
      for (RaftHarness.Node n : h.nodes.values()) {
        assertEquals("after the cut", n.applied.get(n.applied.size() - 1), "node " + n.id);
      }
    }
  }
}

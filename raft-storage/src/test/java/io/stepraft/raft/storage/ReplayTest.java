package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.append;
import static io.stepraft.raft.storage.WalFixture.entries;
import static io.stepraft.raft.storage.WalFixture.open;
import static io.stepraft.raft.storage.WalFixture.replayed;
import static io.stepraft.raft.storage.WalFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What replay rebuilds: the log as the writes left it, across segments, snapshots and releases. */
class ReplayTest {
  @TempDir Path root;

  private static final ConfState VOTERS = ConfState.newBuilder().addVoters(1).build();

  @Test
  void anEmptyLogReplaysToNothingAgainAndAgain() {
    Path dir = root.resolve("empty");
    for (int i = 0; i < 3; i++) {
      try (Wal wal = open(dir)) {
        assertTrue(wal.groups().isEmpty());
        assertEquals(List.of(new SegmentName(0, 1)), wal.segmentNames());
      }
    }
  }

  @Test
  void anIndexWrittenAgainReplacesThatEntryAndEveryLaterOne() {
    Path dir = root.resolve("overwrite");
    try (Wal wal = open(dir)) {
      append(wal, 1, 5, 1);
      wal.save(1, null, entries(3, 4, 2), state(2, 2), true);
    }
    try (Wal wal = open(dir)) {
      List<Entry> expected = new ArrayList<>(entries(1, 2, 1));
      expected.addAll(entries(3, 4, 2));
      assertEquals(expected, replayed(wal));
      assertEquals(state(2, 2), wal.groups().get(1L).hardState());
    }
  }

  @Test
  void anOverwriteReachingBackIntoAnEarlierSegmentReplacesTheTailThere() {
    Path dir = root.resolve("overwrite-far");
    try (Wal wal = open(dir)) {
      append(wal, 1, 100, 1);
      assertTrue(wal.segmentNames().size() >= 2, wal.segmentNames().toString());
      wal.save(1, null, entries(10, 12, 3), state(3, 9), true);
    }
    try (Wal wal = open(dir)) {
      List<Entry> expected = new ArrayList<>(entries(1, 9, 1));
      expected.addAll(entries(10, 12, 3));
      assertEquals(expected, replayed(wal));
      wal.save(1, null, entries(13, 13, 3), null, true);
    }
    try (Wal wal = open(dir)) {
      assertEquals(13, replayed(wal).size());
    }
  }

  @Test
  void aReceivedSnapshotReplacesTheLogAndEntriesFollowIt() {
    Path dir = root.resolve("snap");
    try (Wal wal = open(dir)) {
      append(wal, 1, 5, 1);
      wal.save(
          1, new SnapshotRecord(1, true, 20, 2, VOTERS), entries(21, 22, 2), state(2, 20), true);
    }
    try (Wal wal = open(dir)) {
      GroupLog g = wal.groups().get(1L);
      assertEquals(20, g.base());
      assertEquals(entries(21, 22, 2), g.entriesAfter(20));
      assertEquals(22, g.lastIndex());
      assertEquals(List.of(new SnapshotRecord(1, true, 20, 2, VOTERS)), g.snapshots());
    }
  }

  @Test
  void groupsReplayApartAndOneWithoutASnapshotKeepsEverySegment() {
    Path dir = root.resolve("groups");
    try (Wal wal = open(dir)) {
      for (long i = 1; i <= 60; i++) {
        wal.save(1, null, entries(i, i, 1), state(1, i), false);
        wal.save(2, null, entries(i, i, 5), state(5, i), false);
      }
      wal.save(1, new SnapshotRecord(1, false, 60, 1, VOTERS), List.of(), null, true);
      assertEquals(0, wal.release(), "group 2 needs every segment");
      wal.save(2, new SnapshotRecord(2, false, 60, 5, VOTERS), List.of(), null, true);
      wal.save(1, null, entries(61, 61, 1), null, true);
      assertTrue(wal.release() > 0, "no group needs the old segments any more");
    }
    try (Wal wal = open(dir)) {
      assertEquals(entries(61, 61, 1), wal.groups().get(1L).entriesAfter(60));
      assertEquals(List.of(), wal.groups().get(2L).entriesAfter(60));
      assertEquals(state(5, 60), wal.groups().get(2L).hardState(), "from a segment header");
      assertEquals(60, wal.groups().get(2L).snapshots().get(0).index());
    }
  }

  @Test
  void afterCompactionTheReleasedSegmentsAreGoneAndARestartFindsTheSameState() throws IOException {
    Path data = root.resolve("compact");
    StorageOptions o = StorageOptions.builder().segmentSizeBytes(4096).snapshotsRetained(2).build();
    MemoryStorage before;
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      append(ds.wal(), 1, 200, 1);
      // The WAL was written around DurableStorage: reopen so that raftStorage() reflects it.
    }
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      assertEquals(200, ds.raftStorage().lastIndex());
      int segmentsBefore = ds.wal().segmentNames().size();
      for (long at = 50; at <= 200; at += 50) {
        ds.createSnapshot(at, VOTERS, ByteString.copyFromUtf8("state@" + at));
      }
      ds.compact(190);
      assertTrue(
          ds.wal().segmentNames().size() < segmentsBefore, ds.wal().segmentNames().toString());
      assertEquals(2, snapFiles(data).size(), "retention: " + snapFiles(data));
      before = ds.raftStorage();
      assertEquals(191, before.firstIndex());
    }
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      assertEquals(200, ds.raftStorage().snapshot().getMetadata().getIndex());
      assertEquals(200, ds.raftStorage().lastIndex());
      assertEquals(ByteString.copyFromUtf8("state@200"), ds.snapshotData());
      assertEquals(state(1, 199), ds.raftStorage().hardState().toBuilder().setCommit(199).build());
    }
  }

  @Test
  void aDamagedNewestSnapshotFileFallsBackToAnOlderOneWhileTheWalHoldsTheEntriesAfterIt()
      throws IOException {
    Path data = root.resolve("fallback");
    StorageOptions o = StorageOptions.builder().segmentSizeBytes(1 << 20).build();
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      append(ds.wal(), 1, 30, 1);
    }
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      ds.createSnapshot(10, VOTERS, ByteString.copyFromUtf8("at 10"));
      ds.createSnapshot(20, VOTERS, ByteString.copyFromUtf8("at 20"));
    }
    Path newest = data.resolve("snap").resolve(Snapshotter.fileName(1, 20));
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length - 1] ^= 1;
    Files.write(newest, bytes);
    try (DurableStorage ds = DurableStorage.open(data, o)) {
      assertEquals(10, ds.raftStorage().snapshot().getMetadata().getIndex());
      assertEquals(ByteString.copyFromUtf8("at 10"), ds.snapshotData());
      assertEquals(entries(11, 30, 1), ds.raftStorage().entries(11, 31, Long.MAX_VALUE));
    }
  }

  @Test
  void aSnapshotWithoutAFileIsSkipped() throws IOException {
    Snapshotter s =
        new Snapshotter(Files.createDirectories(root.resolve("s")), FileIo.SYSTEM, true);
    assertNull(s.load(1, 5));
    GroupLog g = new GroupLog(1);
    assertFalse(g.holdsEntries());
  }

  private static List<Path> snapFiles(Path data) throws IOException {
    try (Stream<Path> s = Files.list(data.resolve("snap"))) {
      return s.toList();
    }
  }
}

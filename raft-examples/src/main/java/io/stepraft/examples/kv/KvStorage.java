package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.storage.DurableStorage;
import io.stepraft.raft.storage.StorageOptions;
import java.nio.file.Path;

/**
 * The one place where the example touches its storage: raft-storage's {@link DurableStorage} (a
 * write-ahead log and snapshot files) in the node's data directory. Raft thread only, like the
 * storage itself. Its failures are unchecked {@code StorageException}s; the raft loop stops the
 * node on any of them.
 */
final class KvStorage implements AutoCloseable {
  /** WAL segment size: small enough that compaction frees disk soon in a small example. */
  private static final long SEGMENT_BYTES = 16L << 20;

  /** Snapshot files kept on disk, the newest included. */
  private static final int SNAPSHOTS_RETAINED = 2;

  private final DurableStorage storage;

  private KvStorage(DurableStorage storage) {
    this.storage = storage;
  }

  /**
   * Opens (or creates) the storage of a node in {@code dir}, replaying its log and snapshot.
   *
   * @param metadata recorded at creation; a directory created with other metadata is refused
   * @param sync whether writes are fsync'd (only tests turn it off)
   */
  static KvStorage open(Path dir, ByteString metadata, boolean sync) {
    return new KvStorage(
        DurableStorage.open(
            dir,
            StorageOptions.builder()
                .segmentSizeBytes(SEGMENT_BYTES)
                .snapshotsRetained(SNAPSHOTS_RETAINED)
                .metadata(metadata)
                .syncEnabled(sync)
                .build()));
  }

  /** The storage to give the RawNode. */
  MemoryStorage raftStorage() {
    return storage.raftStorage();
  }

  /** Whether nothing was ever saved: a brand-new node. */
  boolean isEmpty() {
    return storage.isEmpty();
  }

  /** The metadata recorded when the storage was created. */
  ByteString metadata() {
    return storage.metadata();
  }

  /** Persists a Ready's snapshot, entries and hard state; durable on return. */
  void save(Ready rd) {
    storage.save(rd);
  }

  void createSnapshot(long index, ConfState cs, ByteString data) {
    storage.createSnapshot(index, cs, data);
  }

  /**
   * Drops entries before {@code compactIndex}, and the WAL segments and snapshot files no longer
   * needed.
   */
  void compact(long compactIndex) {
    storage.compact(compactIndex);
  }

  /** The latest snapshot's data (empty if none). */
  ByteString snapshotData() {
    return storage.snapshotData();
  }

  @Override
  public void close() {
    storage.close();
  }
}

package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import java.nio.file.Path;

/**
 * The one place where the example touches its storage. Interim version: memory only, until
 * raft-storage's DurableStorage lands (then this class opens it in the data directory).
 */
final class KvStorage implements AutoCloseable {
  private final MemoryStorage memory = new MemoryStorage();
  private final ByteString metadata;
  private boolean empty = true;

  private KvStorage(ByteString metadata) {
    this.metadata = metadata;
  }

  /** Opens (or creates) the storage of a node in {@code dir}. */
  static KvStorage open(Path dir, ByteString metadata, boolean sync) {
    return new KvStorage(metadata);
  }

  /** The storage to give the RawNode. */
  MemoryStorage raftStorage() {
    return memory;
  }

  /** Whether nothing was ever saved: a brand-new node. */
  boolean isEmpty() {
    return empty;
  }

  /** The metadata recorded when the storage was created. */
  ByteString metadata() {
    return metadata;
  }

  /** Persists a Ready's snapshot, entries and hard state; durable on return. */
  void save(Ready rd) {
    if (rd.hasSnapshot()) {
      memory.applySnapshot(rd.snapshot());
    }
    memory.append(rd.entries());
    if (rd.hasHardState()) {
      memory.setHardState(rd.hardState());
    }
    empty = false;
  }

  void createSnapshot(long index, ConfState cs, ByteString data) {
    memory.createSnapshot(index, cs, data);
  }

  void compact(long compactIndex) {
    memory.compact(compactIndex);
  }

  /** The latest snapshot's data (empty if none). */
  ByteString snapshotData() {
    return memory.snapshot().getData();
  }

  /** Whether writes survive a crash. */
  static boolean durable() {
    return false;
  }

  @Override
  public void close() {}
}

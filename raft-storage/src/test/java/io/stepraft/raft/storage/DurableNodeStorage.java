package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.testing.cluster.NodeStorage;
import java.nio.file.Path;

/** The cluster driver's {@link NodeStorage} over a {@link DurableStorage}, one directory a node. */
final class DurableNodeStorage implements NodeStorage {
  private final DurableStorage storage;

  DurableNodeStorage(DurableStorage storage) {
    this.storage = storage;
  }

  /** A provider that opens {@code root/node-<id>} with {@code options}. */
  static Provider provider(Path root, StorageOptions options) {
    return id -> new DurableNodeStorage(DurableStorage.open(root.resolve("node-" + id), options));
  }

  @Override
  public Storage raftStorage() {
    return storage.raftStorage();
  }

  @Override
  public void save(Ready ready) {
    storage.save(ready);
  }

  @Override
  public void createSnapshot(long index, ConfState confState, ByteString data) {
    storage.createSnapshot(index, confState, data);
  }

  @Override
  public void compact(long compactIndex) {
    storage.compact(compactIndex);
  }

  @Override
  public void close() {
    storage.close();
  }
}

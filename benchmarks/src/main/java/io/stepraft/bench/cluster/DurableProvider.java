package io.stepraft.bench.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.storage.DurableStorage;
import io.stepraft.raft.storage.StorageOptions;
import io.stepraft.raft.testing.cluster.NodeStorage;
import java.nio.file.Path;

/** Opens each node of a LocalCluster on raft-storage's write-ahead log, fsync on. */
final class DurableProvider {
  private DurableProvider() {}

  /** A provider that opens {@code root/node-<id>} with the storage's defaults (fsync on). */
  static NodeStorage.Provider under(Path root) {
    StorageOptions options = StorageOptions.builder().syncEnabled(true).build();
    return id -> adapt(DurableStorage.open(root.resolve("node-" + id), options));
  }

  private static NodeStorage adapt(DurableStorage durable) {
    return new NodeStorage() {
      @Override
      public Storage raftStorage() {
        return durable.raftStorage();
      }

      @Override
      public void save(Ready ready) {
        durable.save(ready);
      }

      @Override
      public void createSnapshot(long index, ConfState confState, ByteString data) {
        durable.createSnapshot(index, confState, data);
      }

      @Override
      public void compact(long compactIndex) {
        durable.compact(compactIndex);
      }

      @Override
      public void close() {
        durable.close();
      }
    };
  }
}

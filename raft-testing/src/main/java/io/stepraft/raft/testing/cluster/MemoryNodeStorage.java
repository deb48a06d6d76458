package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;

/**
 * A {@link NodeStorage} over a {@link MemoryStorage} that outlives the node's instances: what a
 * node saved is what its next instance reads, so a crash loses nothing that was saved. The provider
 * hands it from one node thread to the next across a stop and a start, which order the accesses.
 */
final class MemoryNodeStorage implements NodeStorage {
  private final MemoryStorage log = new MemoryStorage();

  @Override
  public Storage raftStorage() {
    return log;
  }

  @Override
  public void save(Ready ready) {
    if (ready.hasSnapshot()) {
      log.applySnapshot(ready.snapshot());
    }
    log.append(ready.entries());
    if (ready.hasHardState()) {
      log.setHardState(ready.hardState());
    }
  }

  @Override
  public void createSnapshot(long index, ConfState confState, ByteString data) {
    log.createSnapshot(index, confState, data);
  }

  @Override
  public void compact(long compactIndex) {
    log.compact(compactIndex);
  }

  @Override
  public String toString() {
    return log.toString();
  }
}

package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Snapshot;

/**
 * With asynchronous writes, the log raft reads on the node's thread: a {@link MemoryStorage} copied
 * from the node's storage when the node starts, then given each Ready's snapshot, entries and hard
 * state once the storage thread has made them durable. The node's storage itself belongs to the
 * storage thread; neither storage is thread-safe, so each thread has its own.
 */
final class MirrorLog {
  private MirrorLog() {}

  /** A copy of what {@code log} holds: its snapshot, its entries, its hard state. */
  static MemoryStorage copyOf(Storage log) {
    Snapshot snap = log.snapshot();
    MemoryStorage copy;
    ConfState conf = log.initialState().confState();
    if (snap.getMetadata().getIndex() > 0) {
      copy = new MemoryStorage();
      copy.applySnapshot(snap);
    } else if (conf.getVotersCount() > 0 || conf.getLearnersCount() > 0) {
      copy = MemoryStorage.withConfState(conf);
    } else {
      copy = new MemoryStorage();
    }
    long first = log.firstIndex();
    long last = log.lastIndex();
    if (last >= first) {
      copy.append(log.entries(first, last + 1, Long.MAX_VALUE));
    }
    copy.setHardState(log.initialState().hardState());
    return copy;
  }

  /** Adds to {@code copy} what {@code ready} made durable, in the order the Ready contract says. */
  static void saved(MemoryStorage copy, Ready ready) {
    if (ready.hasSnapshot()) {
      copy.applySnapshot(ready.snapshot());
    }
    copy.append(ready.entries());
    if (ready.hasHardState()) {
      copy.setHardState(ready.hardState());
    }
  }
}

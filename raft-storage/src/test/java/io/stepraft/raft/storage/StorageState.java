package io.stepraft.raft.storage;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.List;

/** What a MemoryStorage holds, as a value to compare before and after a restart. */
record StorageState(
    HardState hardState,
    SnapshotMetadata snapshot,
    long firstIndex,
    long lastIndex,
    List<Entry> entries) {

  static StorageState of(MemoryStorage ms) {
    long first = ms.firstIndex();
    long last = ms.lastIndex();
    List<Entry> entries = last >= first ? ms.entries(first, last + 1, Long.MAX_VALUE) : List.of();
    return new StorageState(ms.hardState(), ms.snapshot().getMetadata(), first, last, entries);
  }
}

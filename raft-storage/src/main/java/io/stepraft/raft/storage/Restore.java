package io.stepraft.raft.storage;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a group's {@link MemoryStorage} from what the WAL replayed and the snapshot files: the
 * newest snapshot that both the WAL (a snapshot record) and a valid snapshot file agree on, the
 * entries after it, the last hard state. A damaged snapshot file is skipped (and logged) in favour
 * of an older one, as long as the WAL still holds the entries after that one.
 */
final class Restore {
  private static final Logger LOG = LoggerFactory.getLogger(Restore.class);

  /** The rebuilt storage and the chosen snapshot (the default instance when none). */
  record Result(MemoryStorage storage, Snapshot snapshot) {}

  private Restore() {}

  static Result run(GroupLog group, Snapshotter snapshotter, Path walDir) throws IOException {
    List<SnapshotRecord> snaps = group.snapshots();
    for (int i = snaps.size() - 1; i >= 0; i--) {
      SnapshotRecord s = snaps.get(i);
      if (!covers(group, s.index())) {
        LOG.warn(
            "WAL {}: the entries after snapshot index {} are no longer all in the WAL",
            walDir,
            s.index());
        continue;
      }
      Snapshot snap = snapshotter.load(s.term(), s.index());
      if (snap != null) {
        return build(group, snap);
      }
    }
    boolean replaced = snaps.stream().anyMatch(SnapshotRecord::replacesLog);
    if (!replaced && group.base() <= 0) {
      return build(group, Snapshot.getDefaultInstance());
    }
    throw new CorruptWalException(
        walDir,
        -1,
        "no snapshot to restart group "
            + group.groupId
            + " from: the WAL records "
            + snaps.size()
            + " snapshot(s) (latest index "
            + (snaps.isEmpty() ? 0 : snaps.get(snaps.size() - 1).index())
            + ") but none has a valid file with the entries after it still in the WAL"
            + " (the log held starts after index "
            + group.base()
            + ")");
  }

  private static boolean covers(GroupLog group, long snapshotIndex) {
    return !group.holdsEntries() || group.base() <= snapshotIndex || group.base() < 0;
  }

  private static Result build(GroupLog group, Snapshot snap) {
    MemoryStorage ms = new MemoryStorage();
    long snapIndex = snap.getMetadata().getIndex();
    HardState last = group.hardState();
    if (snapIndex == 0 && (last == null || last.getTerm() == 0)) {
      // No hard state with a term was ever made durable, so no Ready was ever wholly persisted and
      // nothing was acknowledged to anyone: what is here is the torn start of the first write
      // (part of a bootstrap, say), and restarting from it could give the node a configuration
      // that is a prefix of the real one. The node starts empty, as if that write never happened.
      int dropped = group.entriesAfter(0).size();
      if (dropped > 0) {
        LOG.warn(
            "group {}: {} entries but no hard state with a term: the first write was torn;"
                + " starting empty",
            group.groupId,
            dropped);
      }
      return new Result(ms, snap);
    }
    if (snapIndex > 0) {
      ms.applySnapshot(snap);
    }
    ms.append(group.entriesAfter(snapIndex));
    HardState hs = group.hardState();
    if (hs != null) {
      if (hs.getCommit() < snapIndex) {
        hs = hs.toBuilder().setCommit(snapIndex).build();
      }
      ms.setHardState(hs);
    }
    return new Result(ms, snap);
  }
}

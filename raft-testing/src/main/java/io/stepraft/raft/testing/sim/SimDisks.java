package io.stepraft.raft.testing.sim;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.List;
import java.util.Objects;

/** Copies and comparisons of disk contents, for checking a storage under test against the model. */
final class SimDisks {
  private SimDisks() {}

  /** A fresh storage with {@code src}'s snapshot and entries, and {@code hs}. */
  static MemoryStorage copy(MemoryStorage src, HardState hs) {
    MemoryStorage m = new MemoryStorage();
    if (src.snapshot().getMetadata().getIndex() > 0) {
      m.applySnapshot(src.snapshot());
    }
    long first = src.firstIndex();
    long last = src.lastIndex();
    if (last >= first) {
      m.append(src.entries(first, last + 1, Long.MAX_VALUE));
    }
    m.setHardState(hs);
    return m;
  }

  /**
   * The hard state a node restarts with, given the index of its snapshot: the commit index is at
   * least the snapshot's, since a snapshot holds committed state only and its record may be durable
   * while the hard state written after it was torn off.
   */
  static HardState recovered(HardState hs, long snapIndex) {
    return hs.getCommit() < snapIndex ? hs.toBuilder().setCommit(snapIndex).build() : hs;
  }

  /**
   * Whether a node restarting from {@code s} never acknowledged anything: no snapshot and no hard
   * state with a term is durable, so no Ready was ever wholly persisted (its first write was torn,
   * entries and all). A host restarts such a node empty (see {@code DurableStorage.isEmpty}): its
   * partial log, a prefix of the bootstrap's configuration changes say, could otherwise make it a
   * quorum of a configuration no one else holds.
   */
  static boolean acknowledgedNothing(MemoryStorage s, HardState hs) {
    return s.snapshot().getMetadata().getIndex() == 0 && hs.getTerm() == 0;
  }

  /** Applies a durable record (an entry or a snapshot) to {@code m}. */
  static void apply(MemoryStorage m, Object record) {
    if (record instanceof Entry e) {
      m.append(List.of(e));
    } else {
      m.applySnapshot((Snapshot) record);
    }
  }

  /**
   * Null if {@code actual} holds what {@code expected} and {@code expectedHs} hold: the same
   * snapshot, hard state (commit indexes compared as a restart sees them) and last index, and the
   * same entries wherever both hold one (a storage may compact to its snapshot, or keep more); else
   * the first difference.
   */
  static String difference(MemoryStorage expected, HardState expectedHs, MemoryStorage actual) {
    if (acknowledgedNothing(expected, expectedHs)) {
      expected = new MemoryStorage(); // what a host restarts from, whatever the storage kept
      expectedHs = HardState.getDefaultInstance();
    }
    if (acknowledgedNothing(actual, actual.hardState())) {
      actual = new MemoryStorage();
    }
    SnapshotMetadata se = expected.snapshot().getMetadata();
    SnapshotMetadata sa = actual.snapshot().getMetadata();
    if (!se.equals(sa)) {
      return "snapshot " + describe(sa) + " where " + describe(se) + " was expected";
    }
    if (!expected.snapshot().getData().equals(actual.snapshot().getData())) {
      return "snapshot " + describe(sa) + " with different data";
    }
    HardState he = recovered(expectedHs, se.getIndex());
    HardState ha = recovered(actual.hardState(), sa.getIndex());
    if (!he.equals(ha)) {
      return "hard state " + describe(ha) + " where " + describe(he) + " was expected";
    }
    if (expected.lastIndex() != actual.lastIndex()) {
      return "last index "
          + actual.lastIndex()
          + " where "
          + expected.lastIndex()
          + " was expected";
    }
    long from = Math.max(expected.firstIndex(), actual.firstIndex());
    for (long i = from; i <= expected.lastIndex(); i++) {
      Entry e = expected.entries(i, i + 1, Long.MAX_VALUE).get(0);
      Entry a = actual.entries(i, i + 1, Long.MAX_VALUE).get(0);
      if (!Objects.equals(e, a)) {
        return "entry (index "
            + i
            + ", term "
            + a.getTerm()
            + ") differs from (term "
            + e.getTerm()
            + ") expected";
      }
    }
    return null;
  }

  private static String describe(SnapshotMetadata m) {
    return "(index " + m.getIndex() + ", term " + m.getTerm() + ")";
  }

  private static String describe(HardState hs) {
    return "(term " + hs.getTerm() + ", vote " + hs.getVote() + ", commit " + hs.getCommit() + ")";
  }
}

package io.stepraft.raft.storage;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One group's state as replayed from the WAL: its entries (an index written again replaces that
 * entry and every later one), its last hard state, and the snapshots recorded, oldest first.
 */
final class GroupLog {
  final long groupId;
  // Invariant: entries.get(i).getIndex() == base + 1 + i; base == -1 until the first entry or a
  // log-replacing snapshot fixes where the held log starts.
  private long base = -1;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private HardState hardState;
  private final List<SnapshotRecord> snapshots = new ArrayList<>();

  GroupLog(long groupId) {
    this.groupId = groupId;
  }

  void entry(Entry e, Path file, long offset) {
    long index = e.getIndex();
    if (base < 0) {
      base = index - 1;
    }
    long last = base + entries.size();
    if (index > last + 1) {
      throw new CorruptWalException(
          file,
          offset,
          "entry index " + index + " of group " + groupId + " leaves a gap after index " + last);
    }
    if (index <= base) {
      // An overwrite reaching below the first entry held: the segments holding the entries it
      // replaced were released (a later snapshot covers them). It replaces everything held.
      entries.clear();
      base = index - 1;
    }
    entries.subList((int) (index - base - 1), entries.size()).clear();
    entries.add(e);
  }

  void state(HardState hs) {
    hardState = hs;
  }

  void snapshot(SnapshotRecord s) {
    snapshots.add(s);
    if (!s.replacesLog()) {
      return;
    }
    long at = s.index() - base - 1;
    if (base >= 0
        && at >= 0
        && at < entries.size()
        && entries.get((int) at).getTerm() == s.term()) {
      entries.subList((int) at + 1, entries.size()).clear();
    } else {
      entries.clear();
      base = s.index();
    }
  }

  /** The index of the last entry, or of the latest snapshot when no entry is held after it. */
  long lastIndex() {
    if (!entries.isEmpty()) {
      return base + entries.size();
    }
    long snap = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1).index();
    return Math.max(Math.max(base, 0), snap);
  }

  /** The index before the first entry held, or -1 when nothing fixes it. */
  long base() {
    return base;
  }

  /** The entries held after {@code index}. */
  List<Entry> entriesAfter(long index) {
    if (entries.isEmpty() || index >= base + entries.size()) {
      return List.of();
    }
    int from = (int) Math.max(0, index - base);
    return List.copyOf(entries.subList(from, entries.size()));
  }

  boolean holdsEntries() {
    return !entries.isEmpty();
  }

  /** The last hard state written, or null. */
  HardState hardState() {
    return hardState;
  }

  /** The snapshot records, oldest first. */
  List<SnapshotRecord> snapshots() {
    return snapshots;
  }
}

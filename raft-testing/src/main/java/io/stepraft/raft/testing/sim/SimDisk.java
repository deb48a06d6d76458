package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A node's simulated disk, laid out as a write-ahead log: writes are records (a snapshot, one
 * entry, a hard state) appended to a volatile buffer; {@link #fsync} makes them durable in order. A
 * crash loses the buffer, or with a torn write keeps a prefix of it. What survives is the durable
 * copy, from which {@link #load} builds the storage of the restarted node.
 *
 * <p>Host-initiated compaction ({@link #compact}) syncs first and is durable at once.
 */
final class SimDisk {
  /** Told about every record as it becomes durable, for the durability checks. */
  interface Observer {
    void beforeDurableEntry(long node, MemoryStorage durable, Entry e);

    void onDurableHardState(long node, HardState prev, HardState hs);
  }

  /** With {@link PlantedBug#DISK_LIES}: how many later fsyncs it takes for a sync to be real. */
  static final int LIE_DEPTH = 3;

  /**
   * With {@link PlantedBug#ROLLBACK_HARD_STATE}: how many synced hard states back a restart reads.
   */
  static final int ROLLBACK_DEPTH = 4;

  private final long node;
  private final Observer observer;
  private final PlantedBug bug;
  private MemoryStorage durable = new MemoryStorage();
  private HardState durableHs = HardState.getDefaultInstance();
  private final ArrayList<Object> unsynced = new ArrayList<>();
  private final ArrayDeque<List<Object>> lied = new ArrayDeque<>();
  private final ArrayDeque<HardState> hsHistory = new ArrayDeque<>();
  private long maxSyncedCommit;

  SimDisk(long node, Observer observer, PlantedBug bug) {
    this.node = node;
    this.observer = observer;
    this.bug = bug;
  }

  void write(Snapshot s) {
    unsynced.add(s);
  }

  void write(List<Entry> entries) {
    unsynced.addAll(entries);
  }

  void write(HardState hs) {
    unsynced.add(hs);
  }

  boolean hasUnsynced() {
    return !unsynced.isEmpty();
  }

  /** Makes every buffered write durable, in order. */
  void fsync() {
    if (unsynced.isEmpty()) {
      return;
    }
    List<Object> batch = new ArrayList<>(unsynced);
    unsynced.clear();
    if (bug == PlantedBug.DISK_LIES) {
      lied.addLast(batch);
      if (lied.size() <= LIE_DEPTH) {
        return;
      }
      batch = lied.removeFirst();
    }
    for (Object r : batch) {
      makeDurable(r);
    }
  }

  /**
   * Loses the buffered writes; a torn write keeps a random prefix of them. Returns how many records
   * were lost.
   */
  int crash(SplittableRandom rng, boolean torn) {
    // Behind writes a lying disk lost, nothing later can survive: the log would have a gap.
    int keep = torn && lied.isEmpty() && !unsynced.isEmpty() ? rng.nextInt(unsynced.size() + 1) : 0;
    for (int i = 0; i < keep; i++) {
      makeDurable(unsynced.get(i));
    }
    int lost = unsynced.size() - keep;
    unsynced.clear();
    for (List<Object> batch : lied) {
      lost += batch.size();
    }
    lied.clear();
    return lost;
  }

  private void makeDurable(Object r) {
    if (r instanceof Entry e) {
      observer.beforeDurableEntry(node, durable, e);
      durable.append(List.of(e));
    } else if (r instanceof HardState hs) {
      observer.onDurableHardState(node, durableHs, hs);
      durableHs = hs;
      durable.setHardState(hs);
      maxSyncedCommit = Math.max(maxSyncedCommit, hs.getCommit());
      hsHistory.addLast(hs);
      if (hsHistory.size() > ROLLBACK_DEPTH) {
        hsHistory.removeFirst();
      }
    } else {
      durable.applySnapshot((Snapshot) r);
    }
  }

  /**
   * Records a snapshot of the applied state at {@code index} and drops the entries before {@code
   * compactIndex}, durably: the buffer is synced first.
   */
  void compact(long index, ConfState cs, ByteString data, long compactIndex) {
    fsync();
    if (durable.lastIndex() < index || durable.snapshot().getMetadata().getIndex() >= index) {
      return; // a lying disk does not hold what it claims to
    }
    durable.createSnapshot(index, cs, data);
    if (compactIndex > durable.firstIndex() - 1) {
      durable.compact(compactIndex);
    }
  }

  /**
   * A fresh storage with the durable contents, as a restarted process reads them. The recovered
   * commit index is at least the snapshot's index: a snapshot holds committed state only, and its
   * record may be durable while the hard state written after it was torn off.
   */
  MemoryStorage load() {
    MemoryStorage m = new MemoryStorage();
    Snapshot snap = durable.snapshot();
    long snapIndex = snap.getMetadata().getIndex();
    if (snapIndex > 0) {
      m.applySnapshot(snap);
    }
    long first = durable.firstIndex();
    long last = durable.lastIndex();
    if (last >= first) {
      m.append(durable.entries(first, last + 1, Long.MAX_VALUE));
    }
    HardState hs = durableHs;
    if (bug == PlantedBug.ROLLBACK_HARD_STATE && !hsHistory.isEmpty()) {
      hs = hsHistory.peekFirst();
    }
    if (hs.getCommit() < snapIndex) {
      hs = hs.toBuilder().setCommit(snapIndex).build();
    }
    m.setHardState(hs);
    return m;
  }

  /** The highest commit index this disk ever synced. */
  long maxSyncedCommit() {
    return maxSyncedCommit;
  }

  /** Whether the durable copy holds the entry {@code (index, term)} or a snapshot covering it. */
  boolean holds(long index, long term) {
    return holds(durable, index, term);
  }

  /** Whether {@code log} holds the entry {@code (index, term)} or a snapshot covering it. */
  static boolean holds(MemoryStorage log, long index, long term) {
    if (log.snapshot().getMetadata().getIndex() >= index) {
      return true;
    }
    return index >= log.firstIndex() && index <= log.lastIndex() && log.term(index) == term;
  }

  /** The index of the last durable entry (or of the durable snapshot). */
  long durableLastIndex() {
    return durable.lastIndex();
  }

  /** The term of the last durable entry (or of the durable snapshot); 0 for an empty disk. */
  long durableLastTerm() {
    long last = durable.lastIndex();
    return last == 0 ? 0 : durable.term(last);
  }

  /** A one-line summary of the durable contents. */
  @Override
  public String toString() {
    return "disk{durable=" + durable + ", unsynced=" + unsynced.size() + "}";
  }
}

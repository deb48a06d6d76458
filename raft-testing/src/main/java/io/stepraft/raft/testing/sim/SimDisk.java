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
 *
 * <p>With a storage under test ({@link SimStorage}) every write, sync and compaction goes to it
 * too, and a crash happens to it instead: what it reads back at the next open decides how much of
 * the unsynced writes survived, and must be a state this model allows (see {@link #crashStorage}).
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

  /**
   * How a crash of a node with a storage under test ended.
   *
   * @param refused whether the storage refused to open over the damage injected (the node's data is
   *     lost)
   * @param lostRecords how many unsynced records the crash lost
   */
  record StorageCrash(boolean refused, int lostRecords) {}

  private final long node;
  private final Observer observer;
  private final PlantedBug bug;
  private final SimStorage sut;
  private final Checks checks;

  /** What the storage under test read back at its last open, for the next start. */
  private MemoryStorage reopened;

  private MemoryStorage durable = new MemoryStorage();
  private HardState durableHs = HardState.getDefaultInstance();
  private final ArrayList<Object> unsynced = new ArrayList<>();
  private final ArrayDeque<List<Object>> lied = new ArrayDeque<>();
  private final ArrayDeque<HardState> hsHistory = new ArrayDeque<>();
  private long maxSyncedCommit;

  SimDisk(long node, Observer observer, PlantedBug bug) {
    this(node, observer, bug, null, null);
  }

  /**
   * A disk that also keeps its writes on {@code sut} (null for none), opened by {@link #openNew}.
   */
  SimDisk(long node, Observer observer, PlantedBug bug, SimStorage sut, Checks checks) {
    this.node = node;
    this.observer = observer;
    this.bug = bug;
    this.sut = sut;
    this.checks = checks;
    if (sut != null && bug != PlantedBug.NONE) {
      throw new IllegalArgumentException("planted bugs run over the modelled disk alone");
    }
  }

  /** Opens a new node's storage under test, if any, which must be empty. */
  void openNew() {
    if (sut == null) {
      return;
    }
    try {
      reopened = sut.open();
    } catch (RuntimeException e) {
      checks.fail(Check.STORAGE, "node " + node + "'s new storage failed to open: " + e, e);
      throw e;
    }
    String diff = SimDisks.difference(durable, durableHs, reopened);
    if (diff != null) {
      checks.fail(Check.STORAGE, "node " + node + "'s new storage is not empty: " + diff);
    }
  }

  void write(Snapshot s) {
    unsynced.add(s);
    if (sut != null) {
      sut.write(s, List.of(), null);
    }
  }

  void write(List<Entry> entries) {
    unsynced.addAll(entries);
    if (sut != null) {
      sut.write(null, entries, null);
    }
  }

  void write(HardState hs) {
    unsynced.add(hs);
    if (sut != null) {
      sut.write(null, List.of(), hs);
    }
  }

  boolean hasUnsynced() {
    return !unsynced.isEmpty();
  }

  /** Makes every buffered write durable, in order. */
  void fsync() {
    if (unsynced.isEmpty()) {
      return;
    }
    if (sut != null) {
      sut.sync();
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
   * Crashes the storage under test ({@link SimStorage#crash}), damages it when {@code corrupt}, and
   * opens it again, as the restarted process will: without damage it must open, and hold every
   * synced record and then a prefix of the unsynced ones, which this model then holds too; with
   * damage it must refuse to open, and the caller then wipes this disk (see {@link #wipe}).
   */
  StorageCrash crashStorage(SplittableRandom rng, boolean torn, boolean corrupt) {
    sut.crash(rng, torn);
    String damage = corrupt ? sut.corrupt(rng) : null;
    try {
      reopened = sut.open();
    } catch (RuntimeException e) {
      if (damage != null && sut.isCorruptionRefusal(e)) {
        int lost = unsynced.size();
        unsynced.clear();
        reopened = null;
        return new StorageCrash(true, lost);
      }
      checks.fail(
          Check.STORAGE,
          "node "
              + node
              + "'s storage failed to open "
              + (damage == null ? "after a crash" : "over " + damage + " without refusing")
              + ": "
              + e,
          e);
      throw e;
    }
    if (damage != null) {
      checks.fail(Check.STORAGE, "node " + node + "'s storage opened over " + damage);
    }
    int keep = -1;
    MemoryStorage candidate = SimDisks.copy(durable, durableHs);
    HardState hs = durableHs;
    for (int k = 0; ; k++) {
      if (SimDisks.difference(candidate, hs, reopened) == null) {
        keep = k;
        break;
      }
      if (k == unsynced.size()) {
        break;
      }
      Object r = unsynced.get(k);
      if (r instanceof HardState h) {
        hs = h;
        candidate.setHardState(h);
      } else {
        SimDisks.apply(candidate, r);
      }
    }
    if (keep < 0) {
      checks.fail(
          Check.STORAGE,
          "node "
              + node
              + "'s storage reopened after a crash with a state no crash leaves: "
              + SimDisks.difference(durable, durableHs, reopened)
              + " (synced: "
              + durable
              + ", then "
              + unsynced.size()
              + " unsynced records)");
      keep = 0;
    }
    for (int i = 0; i < keep; i++) {
      makeDurable(unsynced.get(i));
    }
    int lost = unsynced.size() - keep;
    unsynced.clear();
    return new StorageCrash(false, lost);
  }

  /** Whether a storage under test holds this disk's data. */
  boolean hasStorage() {
    return sut != null;
  }

  /**
   * The node's data is gone: its storage refused to open over damage, or held nothing a restart may
   * use (a torn first write). This disk holds nothing from now on.
   */
  void wipe() {
    durable = new MemoryStorage();
    durableHs = HardState.getDefaultInstance();
    unsynced.clear();
    hsHistory.clear();
    maxSyncedCommit = 0;
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
    if (sut != null) {
      sut.compact(index, cs, data, compactIndex);
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
    if (sut != null) {
      return SimDisks.copy(
          reopened,
          SimDisks.recovered(reopened.hardState(), reopened.snapshot().getMetadata().getIndex()));
    }
    HardState hs = durableHs;
    if (bug == PlantedBug.ROLLBACK_HARD_STATE && !hsHistory.isEmpty()) {
      hs = hsHistory.peekFirst();
    }
    return SimDisks.copy(
        durable, SimDisks.recovered(hs, durable.snapshot().getMetadata().getIndex()));
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

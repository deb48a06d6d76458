package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The tail of the raft log that the host has not persisted yet: an incoming snapshot, the entries
 * after it, or both. Entries here may still be replaced by a new leader's entries at the same
 * index.
 *
 * <p>Writes are asynchronous: entries and the snapshot are first handed to the host ({@link
 * #nextEntries}, {@link #nextSnapshot}), then marked in progress ({@link #acceptInProgress}), and
 * leave this log only once the host reports them stable ({@link #stableTo}, {@link #stableSnapTo}).
 *
 * <p>Methods that may not know the answer return {@code -1} instead.
 *
 * <p>Fields may be read within the package; change them only through the methods, which keep the
 * invariants.
 */
final class UnstableLog {

  /** Shrink the entries' backing array when it is this many times larger than what is left. */
  private static final int SHRINK_FACTOR = 4;

  /** Arrays smaller than this are never shrunk: the copy would cost more than it saves. */
  private static final int SHRINK_MIN_CAPACITY = 64;

  /** The incoming snapshot, if any; {@code null} when there is none. */
  Snapshot snapshot;

  /** The unstable entries; {@code entries.get(k)} has index {@code offset + k}. */
  ArrayList<Entry> entries = new ArrayList<>();

  /** The index of {@code entries.get(0)}, or where the next entry goes when empty. */
  long offset;

  /** Whether the snapshot is being written by the host. */
  boolean snapshotInProgress;

  /**
   * Entries below this index are being written by the host. Invariant: {@code offset <=
   * offsetInProgress <= offset + entries.size()}.
   */
  long offsetInProgress;

  final Logger logger;

  /** A lower bound on the backing array's capacity: the largest size since it was last trimmed. */
  private int peakSize;

  UnstableLog(long offset, Logger logger) {
    this.offset = offset;
    this.offsetInProgress = offset;
    this.logger = logger;
  }

  /** The index of the first entry after the unstable snapshot, or -1 without a snapshot. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.getMetadata().getIndex() + 1 : -1;
  }

  /** The index of the last unstable entry, else the unstable snapshot's index, else -1. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.getMetadata().getIndex() : -1;
  }

  /** The term of the entry at {@code index} if this log knows it, else -1. */
  long maybeTerm(long index) {
    if (index < offset) {
      if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
        return snapshot.getMetadata().getTerm();
      }
      return -1;
    }
    long last = maybeLastIndex();
    if (last == -1 || index > last) {
      return -1;
    }
    return entries.get((int) (index - offset)).getTerm();
  }

  /** Whether some entries are neither stable nor in progress. */
  boolean hasNextEntries() {
    return offsetInProgress < offset + entries.size();
  }

  /**
   * The entries that are neither stable nor in progress, as an unmodifiable copy that later appends
   * cannot disturb (the host may hold it while raft keeps running); empty if none.
   */
  List<Entry> nextEntries() {
    if (!hasNextEntries()) {
      return List.of();
    }
    return ImmutableLists.copyOf(entries, (int) (offsetInProgress - offset), entries.size());
  }

  /** The snapshot if it is not yet in progress, else {@code null}. */
  Snapshot nextSnapshot() {
    return snapshot != null && !snapshotInProgress ? snapshot : null;
  }

  /** Marks every current entry, and the snapshot if any, as handed to the host for writing. */
  void acceptInProgress() {
    offsetInProgress = offset + entries.size();
    snapshotInProgress = snapshot != null;
  }

  /**
   * The host persisted the entries up to {@code index}, the last of which has term {@code term}.
   * They leave this log. The report is ignored when the entry is not here or was replaced since the
   * write started (its term differs): the new entry still needs its own write.
   */
  void stableTo(long index, long term) {
    long known = maybeTerm(index);
    if (known == -1) {
      logger.info("entry at index {} missing from unstable log; ignoring", index);
      return;
    }
    if (index < offset) {
      logger.info("entry at index {} matched unstable snapshot; ignoring", index);
      return;
    }
    if (known != term) {
      logger.info(
          "entry at (index,term)=({},{}) mismatched with entry at ({},{}) in unstable log;"
              + " ignoring",
          index,
          term,
          index,
          known);
      return;
    }
    int stable = (int) (index + 1 - offset);
    if (stable == entries.size()) {
      entries.clear();
    } else {
      entries.subList(0, stable).clear();
    }
    offset = index + 1;
    offsetInProgress = Math.max(offsetInProgress, offset);
    shrinkIfOversized();
  }

  /** The host persisted the snapshot at {@code index}; it leaves this log if it is still here. */
  void stableSnapTo(long index) {
    if (snapshot != null && snapshot.getMetadata().getIndex() == index) {
      snapshot = null;
      snapshotInProgress = false;
    }
  }

  /** Replaces the whole tail with snapshot {@code s}: the log continues after its index. */
  void restore(Snapshot s) {
    offset = s.getMetadata().getIndex() + 1;
    offsetInProgress = offset;
    entries = new ArrayList<>();
    peakSize = 0;
    snapshot = s;
    snapshotInProgress = false;
  }

  /**
   * Appends {@code ents} (consecutive indexes), first dropping every entry at or after the first
   * new index. Entries dropped while in progress are no longer in progress: their replacements need
   * a write of their own. The list is copied; the caller may reuse it.
   *
   * @throws IllegalStateException if {@code ents} would leave a gap after the last entry
   */
  void truncateAndAppend(List<Entry> ents) {
    if (ents.isEmpty()) {
      return;
    }
    long fromIndex = ents.get(0).getIndex();
    long end = offset + entries.size();
    if (fromIndex == end) {
      addAll(ents);
    } else if (fromIndex <= offset) {
      logger.info("replace the unstable entries from index {}", fromIndex);
      entries = new ArrayList<>(ents);
      peakSize = 0;
      offset = fromIndex;
      offsetInProgress = offset;
    } else if (fromIndex < end) {
      logger.info("truncate the unstable entries before index {}", fromIndex);
      entries.subList((int) (fromIndex - offset), entries.size()).clear();
      addAll(ents);
      offsetInProgress = Math.min(offsetInProgress, fromIndex);
    } else {
      throw new IllegalStateException(
          "unstable append at " + fromIndex + " leaves a gap after [" + offset + "," + end + ")");
    }
    peakSize = Math.max(peakSize, entries.size());
  }

  /** Element by element: {@code addAll} would copy {@code ents} into an array first. */
  private void addAll(List<Entry> ents) {
    entries.ensureCapacity(entries.size() + ents.size());
    for (int i = 0, n = ents.size(); i < n; i++) {
      entries.add(ents.get(i));
    }
  }

  /**
   * Appends one entry right after the last one: {@link #truncateAndAppend} of one entry when
   * nothing needs to be truncated, without a list.
   */
  void append(Entry e) {
    if (e.getIndex() != offset + entries.size()) {
      truncateAndAppend(List.of(e));
      return;
    }
    entries.add(e);
    peakSize = Math.max(peakSize, entries.size());
  }

  /**
   * An immutable copy of the entries in {@code [lo, hi)}, cut to the longest run within {@code
   * maxSizeBytes} (at least one entry), which the caller may keep.
   *
   * @throws IllegalStateException unless {@code offset <= lo <= hi <= offset + entries.size()}
   */
  List<Entry> copy(long lo, long hi, long maxSizeBytes) {
    checkOutOfBounds(lo, hi);
    int from = (int) (lo - offset);
    int to = (int) (hi - offset);
    return ImmutableLists.copyOf(
        entries, from, from + EntrySizes.fitting(entries, from, to, maxSizeBytes));
  }

  /**
   * A copy of the entries in {@code [lo, hi)}, which the caller may keep.
   *
   * @throws IllegalStateException unless {@code offset <= lo <= hi <= offset + entries.size()}
   */
  List<Entry> slice(long lo, long hi) {
    return new ArrayList<>(view(lo, hi));
  }

  /**
   * A live view of the entries in {@code [lo, hi)}, valid only until this log changes. For callers
   * that copy it at once.
   *
   * @throws IllegalStateException unless {@code offset <= lo <= hi <= offset + entries.size()}
   */
  List<Entry> view(long lo, long hi) {
    checkOutOfBounds(lo, hi);
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }

  private void checkOutOfBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalStateException("invalid unstable.slice " + lo + " > " + hi);
    }
    long upper = offset + entries.size();
    if (lo < offset || hi > upper) {
      throw new IllegalStateException(
          "unstable.slice[" + lo + "," + hi + ") out of bound [" + offset + "," + upper + "]");
    }
  }

  private void shrinkIfOversized() {
    int size = entries.size();
    if (peakSize >= SHRINK_MIN_CAPACITY && (long) size * SHRINK_FACTOR < peakSize) {
      entries.trimToSize();
      peakSize = size;
    }
  }

  /** The offsets, the entry count and the snapshot's index, for logs. */
  @Override
  public String toString() {
    return "UnstableLog{offset="
        + offset
        + ", offsetInProgress="
        + offsetInProgress
        + ", entries="
        + entries.size()
        + ", snapshot="
        + (snapshot == null ? "none" : String.valueOf(snapshot.getMetadata().getIndex()))
        + (snapshotInProgress ? " (in progress)" : "")
        + "}";
  }
}

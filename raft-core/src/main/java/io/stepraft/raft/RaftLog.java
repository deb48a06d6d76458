package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The raft log as the state machine sees it: the host's stable {@link Storage} followed by the
 * {@link UnstableLog} tail, with the commit and apply cursors.
 *
 * <pre>
 *   compacted | stable (storage)            | unstable (not yet persisted)
 *   ----------+-----------------------------+----------------------------
 *             ^ firstIndex   applied  applying  committed        lastIndex ^
 * </pre>
 *
 * <p>The valid term range is {@code [firstIndex() - 1, lastIndex()]}: the term of the entry just
 * before the first one is kept (in the snapshot) so that appends right after a snapshot can be
 * matched. Methods that may not know an answer return {@code -1} or {@code 0} as documented.
 *
 * <p>The cursors are read through their getters and changed only through the methods, which check
 * the invariants.
 */
final class RaftLog {

  /** The entries the host persisted, up to {@code unstable.offset - 1}. */
  final Storage storage;

  /** The entries and snapshot not yet persisted. */
  final UnstableLog unstable;

  // Invariant: applied <= applying <= committed <= lastIndex().
  /** The highest index known to be stored on a quorum. */
  private long committed;

  /** The highest index handed to the host for applying; it may not be applied yet. */
  private long applying;

  /** The highest index the host reported applied. */
  private long applied;

  /** The most bytes of entries handed to the host for applying and not yet reported applied. */
  final long maxApplyingEntsSizeBytes;

  /** The bytes of entries handed to the host for applying and not yet reported applied. */
  long applyingEntsSizeBytes;

  /** Whether no more entries are handed out until the host reports some applied. */
  boolean applyingEntsPaused;

  final Logger logger;

  private final SafetyRules rules;

  /**
   * A log over {@code storage}: everything the storage holds is stable and considered applied up to
   * its snapshot; the caller restores the commit and apply cursors from the hard state.
   *
   * @param maxApplyingEntsSizeBytes the bound of {@link #applyingEntsSizeBytes}; positive, {@link
   *     EntrySizes#NO_LIMIT} for none
   */
  RaftLog(Storage storage, Logger logger, long maxApplyingEntsSizeBytes) {
    this(storage, logger, maxApplyingEntsSizeBytes, SafetyRules.STANDARD);
  }

  /** A log whose appends find conflicts by {@code rules} (a test may plant a bug there). */
  RaftLog(Storage storage, Logger logger, long maxApplyingEntsSizeBytes, SafetyRules rules) {
    if (maxApplyingEntsSizeBytes <= 0) {
      throw new IllegalArgumentException(
          "maxApplyingEntsSizeBytes " + maxApplyingEntsSizeBytes + " must be positive");
    }
    this.storage = Objects.requireNonNull(storage, "storage");
    this.logger = Objects.requireNonNull(logger, "logger");
    this.maxApplyingEntsSizeBytes = maxApplyingEntsSizeBytes;
    this.rules = Objects.requireNonNull(rules, "rules");
    long firstIndex = storage.firstIndex();
    long lastIndex = storage.lastIndex();
    this.unstable = new UnstableLog(lastIndex + 1, logger);
    this.committed = firstIndex - 1;
    this.applying = firstIndex - 1;
    this.applied = firstIndex - 1;
  }

  /** The highest index known to be stored on a quorum. */
  long committed() {
    return committed;
  }

  /** The highest index handed to the host for applying; it may not be applied yet. */
  long applying() {
    return applying;
  }

  /** The highest index the host reported applied. */
  long applied() {
    return applied;
  }

  /**
   * Handles entries from the leader that follow the entry at {@code (index, logTerm)}. If this log
   * holds that entry, the new entries are merged (conflicting uncommitted entries are replaced) and
   * the commit index moves to {@code min(commit, index of the last new entry)}.
   *
   * @param ents entries with consecutive indexes starting at {@code index + 1}
   * @return the index of the last new entry, or -1 if this log does not hold {@code (index,
   *     logTerm)} and the leader must probe further back
   * @throws IllegalStateException if a committed entry would be replaced
   */
  long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
    if (!ents.isEmpty() && ents.get(0).getIndex() != index + 1) {
      throw new IllegalArgumentException(
          "entries start at " + ents.get(0).getIndex() + ", expected " + (index + 1));
    }
    if (!matchTerm(index, logTerm)) {
      return -1;
    }
    long lastNew = index + ents.size();
    long conflict = rules.findConflict(this, ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw new IllegalStateException(
            "entry " + conflict + " conflict with committed entry [committed(" + committed + ")]");
      }
      int from = (int) (conflict - (index + 1));
      append(from == 0 ? ents : ents.subList(from, ents.size()));
    }
    commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /**
   * Appends {@code ents} to the unstable tail, replacing every entry at or after the first new
   * index.
   *
   * @return the new last index
   * @throws IllegalStateException if a committed entry would be replaced
   */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    long after = ents.get(0).getIndex() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "after(" + after + ") is out of range [committed(" + committed + ")]");
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  /**
   * Appends one entry after the last: {@link #append} of a one-entry list, without the list.
   *
   * @return the new last index
   * @throws IllegalStateException if a committed entry would be replaced
   */
  long append(Entry e) {
    long after = e.getIndex() - 1;
    if (after < committed) {
      throw new IllegalStateException(
          "after(" + after + ") is out of range [committed(" + committed + ")]");
    }
    unstable.append(e);
    return lastIndex();
  }

  /**
   * The index of the first entry of {@code ents} whose term differs from this log's entry at the
   * same index, or which this log does not hold; 0 if every entry matches. The entries must have
   * consecutive indexes.
   */
  long findConflict(List<Entry> ents) {
    for (int i = 0, n = ents.size(); i < n; i++) {
      Entry e = ents.get(i);
      long index = e.getIndex();
      long ours = termOrUnknown(index);
      if (ours != e.getTerm()) {
        if (index <= lastIndex()) {
          logger.info(
              "found conflict at index {} [existing term: {}, conflicting term: {}]",
              index,
              Math.max(ours, 0),
              e.getTerm());
        }
        return index;
      }
    }
    return 0;
  }

  /**
   * The largest index {@code i <= index} whose term is at most {@code term}, or whose term is
   * unknown (compacted or not held): the leader's and follower's logs may match there. Used to skip
   * a whole term of mismatching entries in one round trip after a rejected append.
   */
  long findConflictByTerm(long index, long term) {
    for (long i = index; i > 0; i--) {
      long ours = termOrUnknown(i);
      if (ours == -1 || ours <= term) {
        return i;
      }
    }
    return 0;
  }

  /** The term at {@code index}, or 0 if it is compacted or not held. */
  long termOrZero(long index) {
    long t = termOrUnknown(index);
    return t == -1 ? 0 : t;
  }

  /** The unstable entries not yet handed to the host for writing. */
  List<Entry> nextUnstableEnts() {
    return unstable.nextEntries();
  }

  /** Whether some unstable entries are not yet handed to the host for writing. */
  boolean hasNextUnstableEnts() {
    return unstable.hasNextEntries();
  }

  /** Whether some entries are unstable, handed to the host or not. */
  boolean hasNextOrInProgressUnstableEnts() {
    return !unstable.entries.isEmpty();
  }

  /** The unstable snapshot if it is not yet handed to the host for writing, else {@code null}. */
  Snapshot nextUnstableSnapshot() {
    return unstable.nextSnapshot();
  }

  /** Whether an unstable snapshot waits to be handed to the host. */
  boolean hasNextUnstableSnapshot() {
    return unstable.nextSnapshot() != null;
  }

  /** Whether there is an unstable snapshot, handed to the host or not. */
  boolean hasNextOrInProgressSnapshot() {
    return unstable.snapshot != null;
  }

  /**
   * The committed entries to hand to the host for applying next: after {@code applying}, up to
   * {@link #maxAppliableIndex}, within the remaining applying byte budget. Empty while paused or
   * while a snapshot waits to be applied first.
   */
  List<Entry> nextCommittedEnts(boolean allowUnstable) {
    if (!hasNextCommittedEnts(allowUnstable)) {
      return List.of();
    }
    long lo = applying + 1;
    long hi = maxAppliableIndex(allowUnstable) + 1;
    long budget = maxApplyingEntsSizeBytes - applyingEntsSizeBytes;
    if (budget <= 0) {
      throw new IllegalStateException(
          "applying entry size budget "
              + budget
              + " is not positive [max("
              + maxApplyingEntsSizeBytes
              + "), applying("
              + applyingEntsSizeBytes
              + ")]");
    }
    try {
      return slice(lo, hi, budget);
    } catch (CompactedException e) {
      throw new IllegalStateException("unapplied entries [" + lo + "," + hi + ") are compacted", e);
    }
  }

  /** Whether {@link #nextCommittedEnts} would return entries. */
  boolean hasNextCommittedEnts(boolean allowUnstable) {
    if (applyingEntsPaused || hasNextOrInProgressSnapshot()) {
      return false;
    }
    return applying < maxAppliableIndex(allowUnstable);
  }

  /**
   * The highest index that may be applied: the commit index, capped at the last stable entry unless
   * {@code allowUnstable} (entries not yet persisted locally may be applied only if the host allows
   * it).
   */
  long maxAppliableIndex(boolean allowUnstable) {
    long hi = committed;
    if (!allowUnstable) {
      hi = Math.min(hi, unstable.offset - 1);
    }
    return hi;
  }

  /** The latest snapshot: the unstable one if any, else the storage's. */
  Snapshot snapshot() {
    return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
  }

  /** The index of the first entry that may be read. */
  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i != -1 ? i : storage.firstIndex();
  }

  /** The index of the last entry, stable or not. */
  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i != -1 ? i : storage.lastIndex();
  }

  /**
   * Moves the commit index to {@code tocommit} if that is higher; it never decreases.
   *
   * @throws IllegalStateException if {@code tocommit > lastIndex()}
   */
  void commitTo(long tocommit) {
    if (tocommit <= committed) {
      return;
    }
    long last = lastIndex();
    if (last < tocommit) {
      throw new IllegalStateException(
          "tocommit("
              + tocommit
              + ") is out of range [lastIndex("
              + last
              + ")]. Was the raft log corrupted, truncated, or lost?");
    }
    committed = tocommit;
  }

  /**
   * The host applied the entries up to {@code index}, of {@code sizeBytes} serialized bytes in
   * total; they leave the applying budget.
   *
   * @throws IllegalStateException unless {@code applied <= index <= committed}
   */
  void appliedTo(long index, long sizeBytes) {
    if (index == 0) {
      return;
    }
    if (committed < index || index < applied) {
      throw new IllegalStateException(
          "applied("
              + index
              + ") is out of range [prevApplied("
              + applied
              + "), committed("
              + committed
              + ")]");
    }
    applied = index;
    applying = Math.max(applying, index);
    applyingEntsSizeBytes =
        applyingEntsSizeBytes > sizeBytes ? applyingEntsSizeBytes - sizeBytes : 0;
    applyingEntsPaused = applyingEntsSizeBytes >= maxApplyingEntsSizeBytes;
  }

  /**
   * The entries up to {@code index}, of {@code sizeBytes} serialized bytes, were handed to the host
   * for applying. Handing out pauses once the outstanding bytes reach the maximum; it resumes when
   * {@link #appliedTo} brings them back under. A batch may therefore overshoot the maximum by at
   * most one entry (the first entry of a batch is always handed out). {@code allowUnstable} is
   * accepted for symmetry with {@link #nextCommittedEnts}; the pause rule does not depend on it.
   *
   * @throws IllegalStateException if {@code index > committed}
   */
  void acceptApplying(long index, long sizeBytes, boolean allowUnstable) {
    if (committed < index) {
      throw new IllegalStateException(
          "applying("
              + index
              + ") is out of range [prevApplying("
              + applying
              + "), committed("
              + committed
              + ")]");
    }
    applying = index;
    applyingEntsSizeBytes += sizeBytes;
    applyingEntsPaused = applyingEntsSizeBytes >= maxApplyingEntsSizeBytes;
  }

  /** The host persisted the entries up to {@code (index, term)}. */
  void stableTo(long index, long term) {
    unstable.stableTo(index, term);
  }

  /** The host persisted the snapshot at {@code index}. */
  void stableSnapTo(long index) {
    unstable.stableSnapTo(index);
  }

  /** The unstable entries and snapshot returned so far were handed to the host for writing. */
  void acceptUnstable() {
    unstable.acceptInProgress();
  }

  /** The term of the last entry. */
  long lastTerm() {
    long last = lastIndex();
    long t = termOrUnknown(last);
    if (t == -1) {
      throw new IllegalStateException("unexpected error when getting the last term at " + last);
    }
    return t;
  }

  /**
   * The term of the entry at {@code index}.
   *
   * @throws CompactedException if {@code index < firstIndex() - 1}
   * @throws UnavailableException if {@code index > lastIndex()}
   */
  long term(long index) {
    long t = unstable.maybeTerm(index);
    if (t != -1) {
      return t;
    }
    long first = firstIndex();
    if (index < first - 1) {
      throw new CompactedException(index, first);
    }
    long last = lastIndex();
    if (index > last) {
      throw new UnavailableException(index, last);
    }
    return storage.term(index);
  }

  /**
   * The entries from {@code index} to the last, within {@code maxSizeBytes} (at least one); empty
   * if {@code index > lastIndex()}.
   */
  List<Entry> entries(long index, long maxSizeBytes) {
    long last = lastIndex();
    if (index > last) {
      return List.of();
    }
    return slice(index, last + 1, maxSizeBytes);
  }

  /**
   * Like {@link #entries(long, long)}, but the entries may be a view of the unstable log rather
   * than a copy: to be read at once (into a message) and dropped before the log changes.
   */
  List<Entry> entriesToSend(long index, long maxSizeBytes) {
    long last = lastIndex();
    if (index > last) {
      return List.of();
    }
    checkOutOfBounds(index, last + 1);
    if (index >= unstable.offset) {
      return EntrySizes.limitSize(unstable.view(index, last + 1), maxSizeBytes);
    }
    return slice(index, last + 1, maxSizeBytes);
  }

  /** Every entry held, for tests and debugging. */
  List<Entry> allEntries() {
    return entries(firstIndex(), EntrySizes.NO_LIMIT);
  }

  /**
   * Whether a log ending at {@code (lastIndex, term)} is at least as up to date as this one: a
   * later last term wins, and with equal last terms the longer log.
   */
  boolean isUpToDate(long lastIndex, long term) {
    long ourTerm = lastTerm();
    return term > ourTerm || (term == ourTerm && lastIndex >= lastIndex());
  }

  /** Whether this log holds an entry at {@code index} with term {@code term}. */
  boolean matchTerm(long index, long term) {
    long t = termOrUnknown(index);
    return t != -1 && t == term;
  }

  /**
   * Commits up to {@code maxIndex} if that is beyond the commit index and the entry there has term
   * {@code term}. A leader passes its own term: it commits by counting replicas only entries of its
   * term, and earlier ones with them (Raft paper, section 5.4.2).
   *
   * @return whether the commit index moved
   */
  boolean maybeCommit(long maxIndex, long term) {
    if (maxIndex > committed && matchTerm(maxIndex, term)) {
      commitTo(maxIndex);
      return true;
    }
    return false;
  }

  /**
   * Replaces the log with snapshot {@code s}, which becomes the unstable snapshot; everything up to
   * its index is committed.
   *
   * @throws IllegalStateException if the snapshot is older than the commit index
   */
  void restore(Snapshot s) {
    long index = s.getMetadata().getIndex();
    if (index < committed) {
      throw new IllegalStateException(
          "snapshot " + index + " is older than committed(" + committed + ")");
    }
    logger.info(
        "log [{}] starts to restore snapshot [index: {}, term: {}]",
        this,
        index,
        s.getMetadata().getTerm());
    committed = index;
    unstable.restore(s);
  }

  /**
   * The entries in {@code [lo, hi)}, at least one and within {@code maxSizeBytes} in total, read
   * from the storage and then from the unstable tail. The caller may keep the list but must not
   * modify it.
   *
   * @throws CompactedException if {@code lo < firstIndex()}
   * @throws IllegalStateException if the range is invalid or beyond the last index
   */
  List<Entry> slice(long lo, long hi, long maxSizeBytes) {
    checkOutOfBounds(lo, hi);
    if (lo == hi) {
      return List.of();
    }
    long unstableOffset = unstable.offset;
    if (lo >= unstableOffset) {
      return unstable.copy(lo, hi, maxSizeBytes);
    }
    long cut = Math.min(hi, unstableOffset);
    List<Entry> stored = storageEntries(lo, cut, maxSizeBytes);
    if (hi <= unstableOffset || stored.size() < cut - lo) {
      return stored;
    }
    long size = EntrySizes.entriesSize(stored);
    if (size >= maxSizeBytes) {
      return stored;
    }
    List<Entry> tail = EntrySizes.limitSize(unstable.view(unstableOffset, hi), maxSizeBytes - size);
    if (tail.size() == 1 && size + tail.get(0).getSerializedSize() > maxSizeBytes) {
      return stored;
    }
    ArrayList<Entry> out = new ArrayList<>(stored.size() + tail.size());
    out.addAll(stored);
    out.addAll(tail);
    return out;
  }

  /**
   * Checks that {@code [lo, hi)} is a readable range.
   *
   * @throws CompactedException if {@code lo < firstIndex()}
   * @throws IllegalStateException if {@code lo > hi} or {@code hi > lastIndex() + 1}
   */
  void checkOutOfBounds(long lo, long hi) {
    if (lo > hi) {
      throw new IllegalStateException("invalid slice " + lo + " > " + hi);
    }
    long first = firstIndex();
    if (lo < first) {
      throw new CompactedException(lo, first);
    }
    long last = lastIndex();
    if (hi > last + 1) {
      throw new IllegalStateException(
          "slice[" + lo + "," + hi + ") out of bound [" + first + "," + last + "]");
    }
  }

  /** The cursors and the shape of the unstable tail, for logs. */
  @Override
  public String toString() {
    return "committed="
        + committed
        + ", applied="
        + applied
        + ", applying="
        + applying
        + ", unstable.offset="
        + unstable.offset
        + ", unstable.offsetInProgress="
        + unstable.offsetInProgress
        + ", len(unstable.entries)="
        + unstable.entries.size();
  }

  /** Storage entries in {@code [lo, hi)}; a range the storage should hold but does not is a bug. */
  private List<Entry> storageEntries(long lo, long hi, long maxSizeBytes) {
    try {
      return storage.entries(lo, hi, maxSizeBytes);
    } catch (UnavailableException e) {
      throw new IllegalStateException(
          "entries["
              + lo
              + ","
              + hi
              + ") are unavailable from storage [lastIndex("
              + storage.lastIndex()
              + ")]",
          e);
    }
  }

  /**
   * The term at {@code index}, or -1 if it is compacted or not held. Raises no exception for those
   * cases on the common paths (matching and conflict search), so nothing is allocated.
   */
  private long termOrUnknown(long index) {
    long t = unstable.maybeTerm(index);
    if (t != -1) {
      return t;
    }
    if (index < firstIndex() - 1 || index > lastIndex()) {
      return -1;
    }
    try {
      return storage.term(index);
    } catch (CompactedException | UnavailableException e) {
      return -1;
    }
  }
}

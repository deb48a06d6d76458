package io.stepraft.bench.cluster;

import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import java.util.Arrays;
import java.util.List;

/**
 * A SOFAJRaft log kept in memory, for the in-memory runs (SOFAJRaft ships only logs on disk): the
 * entries as SOFAJRaft appends them, neither copied nor encoded, in a ring that doubles when full.
 * SOFAJRaft's snapshots truncate its prefix, which bounds it. Thread-safe (every method holds the
 * storage's monitor, briefly): SOFAJRaft's log manager appends and truncates on its thread while
 * the replicators and the state machine read on theirs.
 *
 * <p>Invariant: the entry in slot {@code (head + i) & (ring.length - 1)} has index {@code first +
 * i}, for {@code 0 <= i < size}; every other slot is null; {@code ring.length} is a power of two.
 */
final class MemoryLogStorage implements LogStorage {
  private static final int INITIAL_CAPACITY = 1024;

  private LogEntry[] ring = new LogEntry[INITIAL_CAPACITY];
  private int head;
  private int size;
  private long first = 1;

  @Override
  public boolean init(LogStorageOptions opts) {
    return true;
  }

  @Override
  public void shutdown() {
    reset(1);
  }

  @Override
  public synchronized long getFirstLogIndex() {
    return first;
  }

  /** The last index, {@code first - 1} when the log is empty (0 for a new log, as SOFAJRaft's). */
  @Override
  public synchronized long getLastLogIndex() {
    return first + size - 1;
  }

  /** The entry at {@code index}, or null outside {@code [first, last]}. */
  @Override
  public synchronized LogEntry getEntry(long index) {
    if (index < first || index >= first + size) {
      return null;
    }
    return ring[slot(index - first)];
  }

  /** The term of the entry at {@code index}, 0 when there is none. */
  @Override
  @Deprecated
  public long getTerm(long index) {
    LogEntry e = getEntry(index);
    return e == null ? 0 : e.getId().getTerm();
  }

  @Override
  public boolean appendEntry(LogEntry entry) {
    return appendEntries(List.of(entry)) == 1;
  }

  /**
   * Appends {@code entries}, which must follow the last entry without a gap.
   *
   * @throws IllegalStateException if an entry's index is not the next one
   */
  @Override
  public synchronized int appendEntries(List<LogEntry> entries) {
    for (LogEntry e : entries) {
      long next = first + size;
      if (e.getId().getIndex() != next) {
        throw new IllegalStateException(
            "append of index " + e.getId().getIndex() + " to a log whose next index is " + next);
      }
      if (size == ring.length) {
        grow();
      }
      ring[slot(size)] = e;
      size++;
    }
    return entries.size();
  }

  /** Drops the entries before {@code firstIndexKept}; the log starts there, even if beyond it. */
  @Override
  public synchronized boolean truncatePrefix(long firstIndexKept) {
    if (firstIndexKept <= first) {
      return true;
    }
    int dropped = (int) Math.min(firstIndexKept - first, size);
    for (int i = 0; i < dropped; i++) {
      ring[slot(i)] = null;
    }
    head = slot(dropped);
    size -= dropped;
    first = firstIndexKept;
    return true;
  }

  /** Drops the entries after {@code lastIndexKept}. */
  @Override
  public synchronized boolean truncateSuffix(long lastIndexKept) {
    int kept = (int) Math.max(0, Math.min(lastIndexKept - first + 1, size));
    for (int i = kept; i < size; i++) {
      ring[slot(i)] = null;
    }
    size = kept;
    return true;
  }

  /** Drops every entry; the next one appended has index {@code nextLogIndex}. */
  @Override
  public synchronized boolean reset(long nextLogIndex) {
    if (nextLogIndex <= 0) {
      throw new IllegalArgumentException("next log index " + nextLogIndex + " must be positive");
    }
    Arrays.fill(ring, null);
    head = 0;
    size = 0;
    first = nextLogIndex;
    return true;
  }

  private int slot(long offset) {
    return (int) ((head + offset) & (ring.length - 1));
  }

  private void grow() {
    LogEntry[] bigger = new LogEntry[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[slot(i)];
    }
    ring = bigger;
    head = 0;
  }
}

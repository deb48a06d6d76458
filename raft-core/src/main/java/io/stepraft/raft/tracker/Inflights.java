package io.stepraft.raft.tracker;

/**
 * The appends a leader has sent to one follower and not yet seen acknowledged: for each, the last
 * log index it carried and its payload size in bytes. It is the flow-control window of pipelined
 * replication, bounded both by the number of messages and by their total size.
 *
 * <p>A ring buffer. The backing arrays start small and double when needed, up to {@link
 * #capacity()}, so that idle followers cost little memory.
 */
public final class Inflights {
  private static final int INITIAL_LENGTH = 4;
  private static final long[] NONE = new long[0];

  private final int capacity;
  private final long maxBytes;

  /** Last index of each inflight append, oldest at {@link #start}. */
  private long[] indexes = NONE;

  /** Payload bytes of each inflight append, parallel to {@link #indexes}. */
  private long[] sizes = NONE;

  /** Position of the oldest inflight append. Invariant: 0 when count is 0. */
  private int start;

  /** Invariant: 0 <= count <= capacity, count <= indexes.length. */
  private int count;

  /** Invariant: bytes == sum of sizes of the inflight appends. */
  private long bytes;

  /** The last index added since creation or the last reset, 0 if none; adds must exceed it. */
  private long lastAdded;

  /**
   * Creates an empty window.
   *
   * @param capacity the most appends that may be in flight at once, at least 1
   * @param maxBytes the most payload bytes that may be in flight at once; 0 means no byte limit.
   *     The window is full once the bytes in flight reach this value, so a single append larger
   *     than the limit is still allowed when nothing else is in flight
   */
  public Inflights(int capacity, long maxBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes " + maxBytes + " must not be negative");
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /**
   * Records a sent append.
   *
   * @param index the last log index the append carried; must exceed every index added before
   * @param bytes the payload size of the append
   * @throws IllegalStateException if the window is {@link #full()} or {@code index} is not above
   *     the last added index
   */
  public void add(long index, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes " + bytes + " must not be negative");
    }
    if (full()) {
      throw new IllegalStateException("cannot add index " + index + " to full inflights: " + this);
    }
    if (index <= lastAdded) {
      throw new IllegalStateException(
          "inflight index " + index + " must exceed the last added index " + lastAdded);
    }
    if (count == indexes.length) {
      grow();
    }
    int slot = slot(count);
    indexes[slot] = index;
    sizes[slot] = bytes;
    count++;
    this.bytes += bytes;
    lastAdded = index;
  }

  private void grow() {
    int length = Math.min(capacity, Math.max(INITIAL_LENGTH, indexes.length * 2));
    long[] newIndexes = new long[length];
    long[] newSizes = new long[length];
    for (int i = 0; i < count; i++) {
      newIndexes[i] = indexes[slot(i)];
      newSizes[i] = sizes[slot(i)];
    }
    indexes = newIndexes;
    sizes = newSizes;
    start = 0;
  }

  /** Position in the arrays of the {@code offset}-th inflight append, counted from the oldest. */
  private int slot(int offset) {
    int slot = start + offset;
    return slot >= indexes.length ? slot - indexes.length : slot;
  }

  /**
   * Forgets every inflight append whose last index is at most {@code to}: the follower has
   * acknowledged them.
   *
   * @param to the acknowledged index
   */
  public void freeLE(long to) {
    while (count > 0 && indexes[start] <= to) {
      bytes -= sizes[start];
      start = slot(1);
      count--;
    }
    if (count == 0) {
      start = 0;
      if (bytes != 0) {
        throw new IllegalStateException("inflight bytes " + bytes + " left with no inflight");
      }
    }
  }

  /**
   * Tells whether no more appends may be sent: the count reached the capacity, or the bytes in
   * flight reached {@code maxBytes} (when that limit is on).
   *
   * @return true when the window is full
   */
  public boolean full() {
    return count == capacity || (maxBytes != 0 && bytes >= maxBytes);
  }

  /**
   * Returns the number of appends in flight.
   *
   * @return the count
   */
  public int count() {
    return count;
  }

  /**
   * Returns the payload bytes in flight.
   *
   * @return the sum of the sizes of the appends in flight
   */
  public long bytes() {
    return bytes;
  }

  /**
   * Returns the most appends that may be in flight at once.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Returns the byte limit.
   *
   * @return the most payload bytes that may be in flight, 0 for no limit
   */
  public long maxBytes() {
    return maxBytes;
  }

  /** Forgets every inflight append and the last added index; keeps the allocated arrays. */
  public void reset() {
    start = 0;
    count = 0;
    bytes = 0;
    lastAdded = 0;
  }

  /**
   * Returns an independent copy, for status snapshots.
   *
   * @return a deep copy
   */
  public Inflights copy() {
    Inflights copy = new Inflights(capacity, maxBytes);
    copy.indexes = indexes.clone();
    copy.sizes = sizes.clone();
    copy.start = start;
    copy.count = count;
    copy.bytes = bytes;
    copy.lastAdded = lastAdded;
    return copy;
  }

  /** Length of the backing arrays; for tests of the lazy growth. */
  int bufferLength() {
    return indexes.length;
  }

  /**
   * Returns the count, bytes and limits, e.g. {@code inflights{count=2/256 bytes=300/0}}.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "inflights{count=" + count + "/" + capacity + " bytes=" + bytes + "/" + maxBytes + "}";
  }
}

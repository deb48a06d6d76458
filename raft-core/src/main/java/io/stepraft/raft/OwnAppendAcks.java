package io.stepraft.raft;

import java.util.Arrays;

/**
 * A leader's acknowledgements of its own appends, in order, as (term, index) pairs instead of the
 * self-addressed MsgAppResp messages they stand for: raft queues them instead of those messages
 * when nothing could tell the difference (see {@link Raft#ownAcksAsNumbers}), and {@link
 * RawNode#advance} steps them through {@link Raft#stepOwnAppendAck}, after the Ready's writes are
 * durable, as it steps the messages. A growable pair of arrays, reused.
 */
final class OwnAppendAcks {
  private long[] terms = new long[4];
  private long[] indexes = new long[4];
  private int size;

  /** Adds the acknowledgement of the log up to {@code index}, appended in {@code term}. */
  void add(long term, long index) {
    if (size == terms.length) {
      terms = Arrays.copyOf(terms, size * 2);
      indexes = Arrays.copyOf(indexes, size * 2);
    }
    terms[size] = term;
    indexes[size] = index;
    size++;
  }

  /** Adds every acknowledgement of {@code other}, in order. */
  void addAll(OwnAppendAcks other) {
    for (int i = 0; i < other.size; i++) {
      add(other.terms[i], other.indexes[i]);
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The term of the {@code i}-th acknowledgement (the leader's term when it appended). */
  long term(int i) {
    return terms[i];
  }

  /** The last index the {@code i}-th acknowledgement covers. */
  long index(int i) {
    return indexes[i];
  }

  void clear() {
    size = 0;
  }
}

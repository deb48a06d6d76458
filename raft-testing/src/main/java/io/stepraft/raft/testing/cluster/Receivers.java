package io.stepraft.raft.testing.cluster;

import java.util.Arrays;

/**
 * The distinct nodes a batch of messages went to, so that each is woken once for the batch rather
 * than once a message. Owned by one thread; reused from batch to batch.
 */
final class Receivers {
  private long[] ids = new long[8];
  private int size;

  /** Notes {@code id} unless already noted in this batch. */
  void add(long id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return;
      }
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  /** Wakes every node noted, and forgets them. */
  void wakeAll(Network network) {
    for (int i = 0; i < size; i++) {
      network.wake(ids[i]);
    }
    size = 0;
  }
}

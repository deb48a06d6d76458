package io.stepraft.raft.testing.cluster;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, lock-free FIFO queue for handing work from any thread to a node's thread: offering and
 * polling never block or take a lock, so a sender never waits for the receiver (unlike the {@code
 * synchronized} queues it replaces, which a JFR profile showed contended under load).
 *
 * <p>The bound is kept by a counter that an offer raises before it adds: the queue never holds more
 * than {@link #max} elements, and an offer that would exceed it fails.
 */
final class BoundedQueue<T> {
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int max;

  BoundedQueue(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  /** Adds {@code e} at the tail; false when the queue already holds {@code max} elements. */
  boolean offer(T e) {
    if (size.incrementAndGet() > max) {
      size.decrementAndGet();
      return false;
    }
    queue.add(e);
    return true;
  }

  /** The head, or null when empty. */
  T peek() {
    return queue.peek();
  }

  /** Takes the head, or null when empty. */
  T poll() {
    T e = queue.poll();
    if (e != null) {
      size.decrementAndGet();
    }
    return e;
  }

  /** Removes {@code e} if it is still queued. */
  boolean remove(T e) {
    if (queue.remove(e)) {
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }
}

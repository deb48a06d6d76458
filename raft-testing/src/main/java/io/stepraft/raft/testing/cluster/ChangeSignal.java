package io.stepraft.raft.testing.cluster;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Lets client threads wait for a condition on the nodes' published state. Node threads call {@link
 * #signal} after publishing; it costs one volatile read when nobody waits.
 */
final class ChangeSignal {
  /** A waiter re-checks at least this often, should a signal be missed. */
  private static final long RECHECK_MILLIS = 20;

  private final AtomicInteger waiters = new AtomicInteger();

  void signal() {
    if (waiters.get() > 0) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  /** Waits until {@code condition} holds; false if it still does not after {@code timeoutNanos}. */
  boolean await(BooleanSupplier condition, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    waiters.incrementAndGet();
    try {
      synchronized (this) {
        while (!condition.getAsBoolean()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          wait(Math.min(RECHECK_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
        return true;
      }
    } finally {
      waiters.decrementAndGet();
    }
  }
}

package io.stepraft.raft.testing.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a node's thread when work arrives for it. A signal given while the thread is busy is kept,
 * so the next {@link #await} returns at once: no signal is lost.
 */
final class Wakeup {
  private final AtomicBoolean signalled = new AtomicBoolean();
  private volatile Thread waiter;

  void bind(Thread thread) {
    waiter = thread;
  }

  void signal() {
    if (signalled.compareAndSet(false, true)) {
      Thread t = waiter;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /** Parks the calling thread for at most {@code nanos} unless a signal is pending. */
  void await(long nanos) {
    if (!signalled.get() && nanos > 0) {
      LockSupport.parkNanos(this, nanos);
    }
    signalled.set(false);
  }
}

package io.stepraft.raft.testing.cluster;

import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a thread when work arrives for it. A signal given while the thread is busy is kept, so the
 * next {@link #await} returns at once: no signal is lost. A signal costs a volatile read when one
 * is already pending, and an unpark only when the thread is parked or about to park.
 *
 * <p>Why no signal is lost: {@link #await} writes {@code parked} and then reads {@code signalled};
 * {@link #signal} writes {@code signalled} and then reads {@code parked}. Both are volatile, so at
 * least one side sees the other's write: the waiter does not park, or the signaller unparks it.
 */
final class Wakeup {
  private final long spinNanos;
  private volatile boolean signalled;
  private volatile boolean parked;
  private volatile Thread waiter;

  /**
   * @param spinNanos how long {@link #await} polls for a signal before it parks; 0 parks at once
   */
  Wakeup(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  void bind(Thread thread) {
    waiter = thread;
  }

  void signal() {
    if (signalled) {
      return; // already pending: the waiter will see it before it parks
    }
    signalled = true;
    if (parked) {
      Thread t = waiter;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * Parks the calling thread for at most {@code nanos} unless a signal is pending. It first polls
   * for a signal for up to the spin time, yielding the processor between polls: the answer to a
   * message just sent often comes within microseconds, while a parked thread takes tens of them to
   * run again; a thread with work on the same processor runs first.
   */
  void await(long nanos) {
    long left = spinNanos == 0 ? nanos : spin(nanos);
    if (left > 0) {
      parked = true;
      if (!signalled) {
        LockSupport.parkNanos(this, left);
      }
      parked = false;
    }
    signalled = false;
  }

  /**
   * Polls for a signal, with {@link Thread#yield} in between, for at most the spin time and at most
   * {@code nanos}; returns how much of {@code nanos} is left to park, 0 if a signal came.
   */
  private long spin(long nanos) {
    long start = System.nanoTime();
    long limit = Math.min(nanos, spinNanos);
    while (!signalled) {
      long spun = System.nanoTime() - start;
      if (spun >= limit) {
        return nanos - spun;
      }
      Thread.yield();
    }
    return 0;
  }
}

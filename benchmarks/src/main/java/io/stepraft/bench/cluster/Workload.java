package io.stepraft.bench.cluster;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The two client workloads on a {@link RaftGroup}, one client thread: a closed loop with one
 * request outstanding, and a pipeline that keeps {@link #WINDOW} requests outstanding. Counts what
 * completed; the first failure fails the next operation and {@link #finish}.
 */
final class Workload {
  /** Requests kept outstanding by {@link #pipelined}. */
  static final int WINDOW = 128;

  /** The size of every command. */
  static final int COMMAND_BYTES = 128;

  private static final long TIMEOUT_SECONDS = 30;

  private final RaftGroup group;
  private final byte[] command = new byte[COMMAND_BYTES];
  private final Semaphore window = new Semaphore(WINDOW);
  private final AtomicLong completed = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  Workload(RaftGroup group) {
    this.group = group;
    for (int i = 0; i < command.length; i++) {
      command[i] = (byte) (i * 31 + 7);
    }
  }

  /** Proposes one command and waits until it is applied on the leader. */
  void closedLoop() throws Exception {
    group.propose(command).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    completed.incrementAndGet();
  }

  /** Waits for room in the window, then proposes one command without waiting for it. */
  void pipelined() throws Exception {
    if (!window.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new TimeoutException("no request of " + WINDOW + " completed in " + TIMEOUT_SECONDS);
    }
    rethrow();
    group
        .propose(command)
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                completed.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
              window.release();
            });
  }

  /**
   * Waits until nothing is outstanding, then checks that no request failed.
   *
   * @return the requests completed so far
   */
  long finish() throws Exception {
    if (!window.tryAcquire(WINDOW, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new TimeoutException("requests still outstanding after " + TIMEOUT_SECONDS + " s");
    }
    window.release(WINDOW);
    rethrow();
    return completed.get();
  }

  private void rethrow() {
    Throwable e = failure.get();
    if (e != null) {
      throw new IllegalStateException("a request failed", e);
    }
  }
}

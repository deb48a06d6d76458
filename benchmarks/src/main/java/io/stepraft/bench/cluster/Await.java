package io.stepraft.bench.cluster;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Polls until a group is ready, for the libraries that offer no way to wait. */
final class Await {
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private Await() {}

  /** The first non-null value of {@code probe}, polled every 10 ms for up to START_TIMEOUT. */
  static <T> T value(String what, Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(10);
    }
    throw new TimeoutException("no " + what + " after " + START_TIMEOUT);
  }
}

package io.stepraft.raft.testing.lincheck;

import java.time.Duration;

/**
 * Counts the steps of one check against its {@link Budget}. Once exhausted it stays exhausted.
 * Reads the clock only every {@link #CLOCK_INTERVAL_STEPS} steps.
 */
final class Meter {
  static final int CLOCK_INTERVAL_STEPS = 256;

  /** Longer times count as this one, which keeps the deadline arithmetic from overflowing. */
  private static final Duration TIME_MAX = Duration.ofDays(365L * 100);

  private final long maxSteps;
  private final long deadlineNanos;
  private final boolean timed;
  private long steps;
  private boolean exhausted;
  private String reason = "";

  private Meter(long maxSteps, long deadlineNanos, boolean timed) {
    this.maxSteps = maxSteps;
    this.deadlineNanos = deadlineNanos;
    this.timed = timed;
  }

  /** Starts counting now against {@code budget}. */
  static Meter start(Budget budget) {
    if (budget.maxTime() == null) {
      return new Meter(budget.maxSteps(), 0, false);
    }
    long nanos =
        budget.maxTime().compareTo(TIME_MAX) > 0 ? TIME_MAX.toNanos() : budget.maxTime().toNanos();
    return new Meter(budget.maxSteps(), System.nanoTime() + nanos, true);
  }

  /** Takes one step; false (now and from now on) if the budget has run out. */
  boolean tick() {
    if (exhausted) {
      return false;
    }
    steps++;
    if (steps > maxSteps
        || (timed && steps % CLOCK_INTERVAL_STEPS == 0 && System.nanoTime() - deadlineNanos > 0)) {
      exhausted = true;
      steps--;
    }
    return !exhausted;
  }

  boolean exhausted() {
    return exhausted;
  }

  /** Stops all further steps, for a reason other than the budget; the report will say it. */
  void exhaust(String why) {
    exhausted = true;
    reason = why;
  }

  /** Why the meter ran out: "" for the budget, else what {@link #exhaust} said. */
  String reason() {
    return reason;
  }

  /** The steps taken. */
  long steps() {
    return steps;
  }
}

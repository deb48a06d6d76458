package io.stepraft.raft.testing.lincheck;

import java.time.Duration;

/**
 * How much work a check may do before it gives up and answers {@link CheckResult.Outcome#UNKNOWN}:
 * a number of search steps, a wall-clock time, or both (whichever runs out first).
 *
 * <p>A step is one move of the search: trying an operation next, or taking one back. Step budgets
 * make a check deterministic, so tests should prefer them; time budgets suit long histories from a
 * real cluster. Memory grows with the steps taken (the search remembers what it explored), so a
 * step budget also bounds memory.
 *
 * <p>Shrinking a counterexample, once a history is found not linearizable, gets a budget of its own
 * of the same size, so a failing check may take up to twice the budget.
 *
 * @param maxSteps the most search steps; {@link Long#MAX_VALUE} for no limit
 * @param maxTime the longest wall-clock time; {@code null} for no limit
 */
public record Budget(long maxSteps, Duration maxTime) {
  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException if a limit is not positive
   */
  public Budget {
    if (maxSteps <= 0) {
      throw new IllegalArgumentException("maxSteps " + maxSteps + " must be positive");
    }
    if (maxTime != null && (maxTime.isNegative() || maxTime.isZero())) {
      throw new IllegalArgumentException("maxTime " + maxTime + " must be positive");
    }
  }

  /**
   * Returns a budget without limits: the check answers LINEARIZABLE or NOT_LINEARIZABLE, however
   * long it takes and however much memory it needs.
   *
   * @return the unlimited budget
   */
  public static Budget unlimited() {
    return new Budget(Long.MAX_VALUE, null);
  }

  /**
   * Returns a budget of search steps.
   *
   * @param maxSteps the most search steps
   * @return the budget
   */
  public static Budget steps(long maxSteps) {
    return new Budget(maxSteps, null);
  }

  /**
   * Returns a budget of wall-clock time.
   *
   * @param maxTime the longest time
   * @return the budget
   */
  public static Budget time(Duration maxTime) {
    return new Budget(Long.MAX_VALUE, maxTime);
  }

  /**
   * Returns this budget with a limit on time as well.
   *
   * @param time the longest time
   * @return the budget with both limits
   */
  public Budget andTime(Duration time) {
    return new Budget(maxSteps, time);
  }

  /**
   * Returns the budget as a report shows it.
   *
   * @return for example {@code 1000000 steps}
   */
  @Override
  public String toString() {
    String steps = maxSteps == Long.MAX_VALUE ? null : maxSteps + " steps";
    String time = maxTime == null ? null : maxTime.toMillis() + " ms";
    if (steps == null && time == null) {
      return "unlimited";
    }
    return steps == null ? time : time == null ? steps : steps + " or " + time;
  }
}

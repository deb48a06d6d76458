package io.stepraft.raft.testing.lincheck;

import java.util.List;

/**
 * What a {@link LinearizabilityChecker} found: exactly one of {@link Outcome}, a counterexample if
 * the history is not linearizable, and a report for people.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class CheckResult<I, O> {
  /** The answer of a check. */
  public enum Outcome {
    /** Some order of the operations, consistent with real time, satisfies the model. */
    LINEARIZABLE,
    /** No order does; {@link #counterexample()} holds a small sub-history to look at. */
    NOT_LINEARIZABLE,
    /** The budget ran out before the checker could tell. Never a pass. */
    UNKNOWN
  }

  private final Outcome outcome;
  private final List<Operation<I, O>> counterexample;
  private final String report;
  private final long steps;

  CheckResult(Outcome outcome, List<Operation<I, O>> counterexample, String report, long steps) {
    this.outcome = outcome;
    this.counterexample = List.copyOf(counterexample);
    this.report = report;
    this.steps = steps;
  }

  /**
   * Returns the answer.
   *
   * @return LINEARIZABLE, NOT_LINEARIZABLE or UNKNOWN
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Tells whether the history was shown linearizable.
   *
   * @return true only for {@link Outcome#LINEARIZABLE}; false for UNKNOWN too
   */
  public boolean isLinearizable() {
    return outcome == Outcome.LINEARIZABLE;
  }

  /**
   * Returns the operations of a small sub-history that is not linearizable by itself, from one
   * partition, in order of invocation.
   *
   * @return the counterexample; empty unless the outcome is NOT_LINEARIZABLE
   */
  public List<Operation<I, O>> counterexample() {
    return counterexample;
  }

  /**
   * Returns a report for people: the outcome and, for a counterexample, its operations and why no
   * order of them works.
   *
   * @return the report, several lines
   */
  public String report() {
    return report;
  }

  /**
   * Returns how many search steps deciding the outcome took (shrinking not included).
   *
   * @return the steps
   */
  public long steps() {
    return steps;
  }

  /**
   * Fails unless the history was shown linearizable, for tests.
   *
   * @return this result
   * @throws AssertionError with the report, if the outcome is NOT_LINEARIZABLE or UNKNOWN
   */
  public CheckResult<I, O> assertLinearizable() {
    if (!isLinearizable()) {
      throw new AssertionError(report);
    }
    return this;
  }

  /**
   * Returns the report.
   *
   * @return {@link #report()}
   */
  @Override
  public String toString() {
    return report;
  }
}

package io.stepraft.raft.testing.sim;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Runs the simulator: one seed, a range of seeds, or a search for the first seed that fails. The
 * same seed and options give the same run, event for event.
 */
public final class Simulator {
  /** Print a progress line every this many seeds. */
  private static final long PROGRESS_EVERY = 1000;

  private Simulator() {}

  /**
   * Simulates one cluster run.
   *
   * @param seed fixes the parameters and every random choice of the run
   * @param options how to run it
   * @return the outcome; a violated check is in the result, never thrown
   */
  public static RunResult run(long seed, SimOptions options) {
    return World.run(seed, options);
  }

  /**
   * Simulates seeds {@code first .. first + count - 1}, printing a progress line every 1000 seeds
   * and the report of each failing run to {@code out}; stops early after {@code maxFailures}
   * failing runs.
   */
  public static SoakResult runSeeds(
      long first, long count, SimOptions options, int maxFailures, PrintStream out) {
    SoakResult soak = new SoakResult();
    for (long seed = first; seed < first + count && soak.failures().size() < maxFailures; seed++) {
      RunResult r = run(seed, options);
      soak.add(r);
      if (!r.ok()) {
        out.println(r.report());
      }
      if (soak.runs() % PROGRESS_EVERY == 0) {
        out.println(soak.progress(count));
      }
    }
    out.println(soak.summary());
    return soak;
  }

  /**
   * The first run among seeds {@code first .. first + count - 1} that violates an enabled check, if
   * any: how a planted bug is shown to be caught.
   */
  public static Optional<RunResult> firstFailure(long first, long count, SimOptions options) {
    for (long seed = first; seed < first + count; seed++) {
      RunResult r = run(seed, options);
      if (!r.ok()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}

package io.stepraft.raft.testing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.Set;

/**
 * JUnit 5 assertions over simulated runs: every seed of a range keeps every check, or a planted bug
 * is caught within a bounded range of seeds.
 */
public final class SimulationAssertions {
  /** Stop a range after this many failing seeds. */
  private static final int FAILURES_MAX = 10;

  /** Seeds from which the totals must show acknowledged writes, checked reads and faults. */
  private static final long BATCH_MIN = 100;

  private SimulationAssertions() {}

  /**
   * Asserts that seeds {@code first .. first + count - 1} keep every enabled check, and that they
   * did real work: every run processed events in simulated time, and a range of 100 seeds or more
   * acknowledged writes, checked reads and injected faults. A failure lists each failing seed with
   * its violation and replay command; the full reports are printed to standard output.
   *
   * @return the totals, for further assertions
   */
  public static SoakResult assertSeedsPass(long first, long count, SimOptions options) {
    SoakResult soak = Simulator.runSeeds(first, count, options, FAILURES_MAX, System.out);
    if (!soak.ok()) {
      StringBuilder sb = new StringBuilder(soak.failures().size() + " failing seed(s):");
      for (RunResult r : soak.failures()) {
        sb.append("\n  seed ")
            .append(r.seed())
            .append(": ")
            .append(r.violation().getMessage().lines().findFirst().orElse(""))
            .append("\n    replay: ")
            .append(r.replayCommand());
      }
      fail(sb.toString());
    }
    assertEquals(
        count,
        soak.runsWithWork(),
        "every seed must run, processing events in simulated time: " + soak.summary());
    if (count >= BATCH_MIN) {
      assertTrue(soak.totals().acknowledged() > 0, "no write acknowledged: " + soak.summary());
      assertTrue(soak.readsChecked() > 0, "no read checked: " + soak.summary());
      assertTrue(soak.totals().faults() > 0, "no fault injected: " + soak.summary());
    }
    return soak;
  }

  /**
   * Asserts that {@code check}, the only one enabled, reports a violation under {@code buggy} (a
   * core or host with a planted bug) within seeds {@code 1 .. seedsMax}, and that the first such
   * seed keeps every check under {@code clean}. Core panics count as crashes in the buggy runs. A
   * search, not fixed seeds: a change to the random stream moves the failing seeds.
   *
   * @return the run that caught the bug
   */
  public static RunResult assertCaught(
      SimOptions buggy, Check check, SimOptions clean, long seedsMax) {
    // Core panics count as crashes, so that the symptom looked for shows; unless the symptom is
    // the panic itself.
    SimOptions search = buggy.checks(Set.of(check)).crashOnCorePanic(check != Check.CORE_INVARIANT);
    Optional<RunResult> caught = Simulator.firstFailure(1, seedsMax, search);
    if (caught.isEmpty()) {
      fail(check + " never fired in " + seedsMax + " seeds");
    }
    RunResult r = caught.get();
    assertEquals(check, r.violation().check(), r.report());
    RunResult cleanRun = Simulator.run(r.seed(), clean);
    assertTrue(cleanRun.ok(), "seed " + r.seed() + " fails without the bug:\n" + cleanRun.report());
    return r;
  }
}

package io.stepraft.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over many seeds and fails with a replayable report if any run violates a
 * check, or if the runs did no real work: every run must process events in simulated time, and a
 * batch of at least {@value #BATCH_MIN} seeds must, in total, acknowledge writes, check reads and
 * inject faults (a single seed may legitimately do none of these). System properties: {@code
 * sim.seeds} (how many, default 1000, which the build also sets), {@code sim.firstSeed} (default
 * 1), {@code sim.seed} (replay just this one), {@code sim.verbose} (print every event).
 */
class SimulationTest {
  /** Print a progress line every this many seeds. */
  private static final long PROGRESS_EVERY = 1000;

  /** Stop after reporting this many failing seeds. */
  private static final int FAILURES_MAX = 10;

  /** Seeds from which the totals must show acknowledged writes, checked reads and faults. */
  private static final long BATCH_MIN = 100;

  @Test
  void everySeedKeepsEveryCheck() {
    Long one = Long.getLong("sim.seed");
    long first = one != null ? one : Long.getLong("sim.firstSeed", 1);
    long count = one != null ? 1 : Long.getLong("sim.seeds", 1000);
    SimOptions options = SimOptions.defaults().verbose(Boolean.getBoolean("sim.verbose"));
    Soak soak = new Soak();
    List<RunResult> failures = new ArrayList<>();
    for (long seed = first; seed < first + count && failures.size() < FAILURES_MAX; seed++) {
      RunResult r = World.run(seed, options);
      soak.add(r);
      if (!r.ok()) {
        failures.add(r);
        System.out.println(r.report());
      } else if (one != null) {
        System.out.println(r.summary());
      }
      if ((seed - first + 1) % PROGRESS_EVERY == 0) {
        System.out.println(soak.progress(seed - first + 1, count));
      }
    }
    System.out.println(soak.summary());
    if (!failures.isEmpty()) {
      StringBuilder sb = new StringBuilder(failures.size() + " failing seed(s):");
      for (RunResult r : failures) {
        sb.append("\n  ")
            .append(r.violation().getMessage().lines().findFirst().orElse(""))
            .append("\n    replay: ")
            .append(RunResult.replayCommand(r.seed()));
      }
      fail(sb.toString());
    }
    assertEquals(
        count,
        soak.runsWithWork(),
        "every seed must run, processing events in simulated time: " + soak.summary());
    if (count >= BATCH_MIN) {
      assertTrue(soak.acknowledged() > 0, "no write acknowledged: " + soak.summary());
      assertTrue(soak.readsChecked() > 0, "no read checked: " + soak.summary());
      assertTrue(soak.faults() > 0, "no fault injected: " + soak.summary());
    }
  }
}

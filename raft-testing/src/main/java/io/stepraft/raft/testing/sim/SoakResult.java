package io.stepraft.raft.testing.sim;

import java.util.ArrayList;
import java.util.List;

/** Totals over many simulated runs, and the runs that failed, for progress lines and a summary. */
public final class SoakResult {
  private final long startNanos = System.nanoTime();
  private final Stats totals = new Stats();
  private final List<RunResult> failures = new ArrayList<>();
  private long runs;
  private long runsWithWork;
  private long ticks;
  private long reads;
  private long settleMax;

  SoakResult() {}

  void add(RunResult r) {
    runs++;
    if (r.stats().steps > 0 && r.simulatedTicks() > 0) {
      runsWithWork++;
    }
    totals.add(r.stats());
    ticks += r.simulatedTicks();
    reads += r.readsChecked();
    settleMax = Math.max(settleMax, r.settleTicks());
    if (!r.ok()) {
      failures.add(r);
    }
  }

  /** How many runs were made. */
  public long runs() {
    return runs;
  }

  /** How many runs processed at least one event and let simulated time pass. */
  public long runsWithWork() {
    return runsWithWork;
  }

  /** Every counter, summed over the runs. */
  public Stats totals() {
    return totals;
  }

  /** ReadIndex answers checked, over every run. */
  public long readsChecked() {
    return reads;
  }

  /** The runs that violated an enabled check, in seed order. */
  public List<RunResult> failures() {
    return List.copyOf(failures);
  }

  /** Whether every run kept every enabled check. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** One progress line: seeds done of {@code total}, violations, time. */
  public String progress(long total) {
    return String.format(
        "simulation: %d/%d seeds, %d violations, %.1f s", runs, total, failures.size(), seconds());
  }

  /** One line of totals. */
  public String summary() {
    return String.format(
        "simulation summary: %d seeds run, %d steps, %d simulated ticks, %d faults injected (%d"
            + " crashes), %d writes acknowledged, %d reads checked, longest settle %d ticks, %d"
            + " violations, %.1f s",
        runs,
        totals.steps(),
        ticks,
        totals.faults(),
        totals.crashes(),
        totals.acknowledged(),
        reads,
        settleMax,
        failures.size(),
        seconds());
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

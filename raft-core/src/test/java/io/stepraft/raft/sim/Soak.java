package io.stepraft.raft.sim;

/** Totals over many runs, for progress lines and the final summary. */
final class Soak {
  private final long startNanos = System.nanoTime();
  private final Stats totals = new Stats();
  private long runs;
  private long runsWithWork;
  private long steps;
  private long ticks;
  private long faults;
  private long crashes;
  private long violations;
  private long acked;
  private long reads;
  private long settleMax;

  void add(RunResult r) {
    runs++;
    if (r.stats().steps > 0 && r.simulatedTicks() > 0) {
      runsWithWork++;
    }
    totals.add(r.stats());
    steps += r.stats().steps;
    ticks += r.simulatedTicks();
    faults += r.stats().faults();
    crashes += r.stats().crashes;
    acked += r.stats().acknowledged;
    reads += r.readsChecked();
    violations += r.ok() ? 0 : 1;
    settleMax = Math.max(settleMax, r.settleTicks());
  }

  /** How many runs were added. */
  long runs() {
    return runs;
  }

  /** How many runs processed at least one event and let simulated time pass. */
  long runsWithWork() {
    return runsWithWork;
  }

  /** Faults injected (partitions, crashes, pauses), over every run. */
  long faults() {
    return faults;
  }

  /** Writes acknowledged to clients, over every run. */
  long acknowledged() {
    return acked;
  }

  /** ReadIndex answers checked, over every run. */
  long readsChecked() {
    return reads;
  }

  String progress(long done, long total) {
    return String.format(
        "simulation: %d/%d seeds, %d violations, %.1f s", done, total, violations, seconds());
  }

  String summary() {
    return String.format(
        "simulation summary: %d seeds run, %d steps, %d simulated ticks, %d faults injected (%d"
            + " crashes), %d writes acknowledged, %d reads checked, longest settle %d ticks, %d"
            + " violations, %.1f s",
        runs, steps, ticks, faults, crashes, acked, reads, settleMax, violations, seconds());
  }

  /** Every counter, summed over the runs. */
  String totals() {
    return totals.toString();
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

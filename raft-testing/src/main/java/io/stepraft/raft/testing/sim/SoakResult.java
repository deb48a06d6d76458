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
  private double leaderElectionTimeoutsMax;
  private double settleElectionTimeoutsMax;

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
    double electionTicks = r.params().cluster().electionTicks();
    leaderElectionTimeoutsMax =
        Math.max(leaderElectionTimeoutsMax, r.leaderTicks() / electionTicks);
    settleElectionTimeoutsMax =
        Math.max(settleElectionTimeoutsMax, r.settleTicks() / electionTicks);
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

  /**
   * Writes acknowledged per simulated second in the fault-free tails, a nominal tick being {@link
   * SimParams#TICK_MILLIS} milliseconds.
   */
  public double tailWritesPerSecond() {
    return totals.tailTicks == 0
        ? 0
        : totals.tailAcknowledged * 1000.0 / (totals.tailTicks * SimParams.TICK_MILLIS);
  }

  /** The longest time from the heal until every member knew the leader, in election timeouts. */
  public double leaderElectionTimeoutsMax() {
    return leaderElectionTimeoutsMax;
  }

  /** The longest time from the heal until the cluster converged, in election timeouts. */
  public double settleElectionTimeoutsMax() {
    return settleElectionTimeoutsMax;
  }

  /** One line of totals. */
  public String summary() {
    return String.format(
            "simulation summary: %d seeds run, %d steps, %d simulated ticks, %d faults injected (%d"
                + " crashes), %d writes acknowledged, %d reads checked, longest settle %d ticks, %d"
                + " violations, %.1f s; liveness: leader known within %.1f and converged within"
                + " %.1f election timeouts of the heal at most, %.1f writes per simulated second in"
                + " the fault-free tails; linearizability: %d histories linearizable, %d undecided"
                + " within the budget",
            runs,
            totals.steps(),
            ticks,
            totals.faults(),
            totals.crashes(),
            totals.acknowledged(),
            reads,
            settleMax,
            failures.size(),
            seconds(),
            leaderElectionTimeoutsMax,
            settleElectionTimeoutsMax,
            tailWritesPerSecond(),
            totals.linearizable,
            totals.linearizabilityUnknown)
        + (totals.nodesLost == 0
            ? ""
            : String.format(
                "; storage: %d unsynced records lost to crashes, %d nodes lost to damage and"
                    + " replaced",
                totals.lostRecords, totals.nodesLost));
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

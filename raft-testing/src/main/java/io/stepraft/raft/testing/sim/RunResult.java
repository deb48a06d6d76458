package io.stepraft.raft.testing.sim;

import java.util.Map;

/**
 * The outcome of one simulated run.
 *
 * @param seed the seed that reproduces it
 * @param params the parameters drawn from the seed
 * @param violation the first violation of an enabled check, or null
 * @param stats counters of what happened
 * @param simulatedTicks how many nominal ticks the run lasted
 * @param leaderTicks how many ticks after the heal every member first followed one leader; -1 if
 *     never
 * @param settleTicks how many ticks the cluster took to converge after the heal; -1 if it did not
 * @param leaderTerms how many terms had a leader
 * @param readsChecked how many ReadIndex answers were checked
 * @param fingerprint a digest of every event, equal for equal runs
 * @param trace the last events, formatted
 * @param suppressed violations of disabled checks, by check
 * @param replayCommand how to replay this run, printing every event
 */
public record RunResult(
    long seed,
    SimParams params,
    Violation violation,
    Stats stats,
    long simulatedTicks,
    long leaderTicks,
    long settleTicks,
    int leaderTerms,
    long readsChecked,
    long fingerprint,
    String trace,
    Map<Check, Integer> suppressed,
    String replayCommand) {

  /** Whether no enabled check failed. */
  public boolean ok() {
    return violation == null;
  }

  /** The failure report: seed, parameters, violation, recent events and the replay command. */
  public String report() {
    return "SIMULATION FAILURE seed="
        + seed
        + "\n"
        + "  violation: "
        + (violation == null ? "none" : violation.getMessage())
        + "\n"
        + "  params: "
        + params
        + "\n"
        + "  last events:\n"
        + trace
        + "  replay: "
        + replayCommand
        + "\n";
  }

  /** One line of counters. */
  public String summary() {
    return "seed "
        + seed
        + ": "
        + stats.steps
        + " steps, "
        + simulatedTicks
        + " ticks, "
        + stats.faults()
        + " faults ("
        + stats.crashes
        + " crashes), "
        + stats.messages
        + " messages, "
        + stats.acknowledged
        + " writes acked, "
        + readsChecked
        + " reads, "
        + leaderTerms
        + " leader terms, settled in "
        + settleTicks
        + " ticks (leader after "
        + leaderTicks
        + ")";
  }
}

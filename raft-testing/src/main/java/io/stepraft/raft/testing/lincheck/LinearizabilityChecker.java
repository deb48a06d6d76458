package io.stepraft.raft.testing.lincheck;

import java.util.List;
import java.util.Objects;

/**
 * Checks histories for linearizability against a {@link Model}.
 *
 * <p>A history is linearizable if its operations of known outcome, together with any subset of its
 * operations of unknown outcome, can be put in one order that the model accepts and that respects
 * real time: an operation that returned before another was invoked comes first. Each operation then
 * took effect at one instant between its invocation and its return.
 *
 * <p>The search is Wing and Gong's, with Lowe's improvements: explored (linearized set, state)
 * pairs are memoised and never explored twice, and a P-compositional model's partitions (each key
 * of a key-value store) are checked one at a time, smallest first. Deciding linearizability is
 * NP-complete, so the search is exponential in the worst case; with memoisation its cost is bounded
 * by the number of distinct (linearized set, state) pairs, which stays small when few operations
 * overlap in time. A {@link Budget} bounds the work: when it runs out the answer is {@link
 * CheckResult.Outcome#UNKNOWN}, never a pass.
 */
public final class LinearizabilityChecker {
  private LinearizabilityChecker() {}

  /**
   * Checks a history.
   *
   * @param model the sequential specification
   * @param history the history
   * @param budget how much work the check may do; a counterexample's shrinking gets as much again
   * @param <S> the model's state type
   * @param <I> the input type
   * @param <O> the output type
   * @return LINEARIZABLE, NOT_LINEARIZABLE with a counterexample, or UNKNOWN
   */
  public static <S, I, O> CheckResult<I, O> check(
      Model<S, I, O> model, History<I, O> history, Budget budget) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(budget, "budget");
    Meter meter = Meter.start(budget);
    List<Partition<I, O>> partitions = Partition.split(model, history.operations());
    for (int i = 0; i < partitions.size(); i++) {
      Partition<I, O> partition = partitions.get(i);
      Search<S, I, O> search = Search.ran(model, partition.operations(), meter);
      switch (search.verdict()) {
        case LINEARIZABLE:
          continue;
        case NOT_LINEARIZABLE:
          List<Operation<I, O>> reached = search.reached();
          Shrinker.Result<I, O> shrunk = new Shrinker<>(model, Meter.start(budget)).shrink(reached);
          String why = Counterexample.report(model, partition, reached, history.size(), shrunk);
          List<Operation<I, O>> ops = Counterexample.inInvocationOrder(shrunk.operations());
          return new CheckResult<>(CheckResult.Outcome.NOT_LINEARIZABLE, ops, why, meter.steps());
        case OUT_OF_BUDGET:
          String report = unknownReport(budget, meter, partition, i, partitions.size());
          return new CheckResult<>(CheckResult.Outcome.UNKNOWN, List.of(), report, meter.steps());
      }
    }
    String report =
        "LINEARIZABLE: "
            + history.size()
            + " operations in "
            + partitions.size()
            + " partition(s), "
            + meter.steps()
            + " search steps.";
    return new CheckResult<>(CheckResult.Outcome.LINEARIZABLE, List.of(), report, meter.steps());
  }

  private static String unknownReport(
      Budget budget, Meter meter, Partition<?, ?> partition, int checked, int partitions) {
    String what = meter.reason().isEmpty() ? "the budget (" + budget + ")" : meter.reason();
    return "UNKNOWN: "
        + what
        + " ran out after "
        + meter.steps()
        + " search steps"
        + partition.where()
        + " ("
        + partition.operations().size()
        + " operations); "
        + checked
        + " of "
        + partitions
        + " partition(s) were checked and are linearizable, the rest are not known to be.";
  }
}

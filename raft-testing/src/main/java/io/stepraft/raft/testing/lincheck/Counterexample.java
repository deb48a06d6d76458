package io.stepraft.raft.testing.lincheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the report of a shrunk counterexample: its operations, then why no order of them works,
 * from one of the longest partial linearizations the search finds: the state it reaches, and for
 * each operation that would have to come next, why it cannot (for a stale read, the write it
 * missed).
 */
final class Counterexample<S, I, O> {
  /** The explaining search stops after this many steps; the report then says less. */
  static final long EXPLAIN_STEPS_MAX = 1_000_000;

  /** A report lists at most this many operations, and this many steps of an order. */
  static final int LINES_MAX = 50;

  private final Model<S, I, O> model;
  private final List<Operation<I, O>> ops;
  private final StringBuilder out = new StringBuilder();

  private Counterexample(Model<S, I, O> model, List<Operation<I, O>> ops) {
    this.model = model;
    this.ops = ops;
  }

  /** The counterexample's operations in order of invocation. */
  static <I, O> List<Operation<I, O>> inInvocationOrder(List<Operation<I, O>> ops) {
    List<Operation<I, O>> sorted = new ArrayList<>(ops);
    sorted.sort(Comparator.comparingLong(Operation::invokeTime));
    return sorted;
  }

  static <S, I, O> String report(
      Model<S, I, O> model,
      Partition<I, O> partition,
      List<Operation<I, O>> reached,
      int historySize,
      Shrinker.Result<I, O> shrunk) {
    List<Operation<I, O>> ops = inInvocationOrder(shrunk.operations());
    Counterexample<S, I, O> writer = new Counterexample<>(model, ops);
    writer.header(partition, historySize);
    if (shrunk.impossible()) {
      writer.line(
          ops.get(0).describe()
              + " is illegal in every state that the "
              + reached.size()
              + " operations"
              + partition.where()
              + " invoked up to time "
              + reached.get(reached.size() - 1).invokeTime()
              + " can produce, in any order: none of them could have produced its output.");
    } else {
      writer.explainOrder();
    }
    if (!shrunk.complete()) {
      writer.line("Shrinking ran out of budget: a smaller counterexample may exist.");
    }
    return writer.out.toString();
  }

  private void header(Partition<I, O> partition, int historySize) {
    String these = ops.size() == 1 ? "this operation" : "these " + ops.size() + " operations";
    line(
        "NOT LINEARIZABLE"
            + partition.where()
            + ": "
            + these
            + " (of "
            + partition.operations().size()
            + " in the partition, "
            + historySize
            + " in the history) "
            + (ops.size() == 1 ? "has" : "have")
            + " no legal order consistent with real time:");
    for (int i = 0; i < ops.size(); i++) {
      if (i == LINES_MAX) {
        line("  ... and " + (ops.size() - LINES_MAX) + " more");
        break;
      }
      line("  " + ops.get(i));
    }
  }

  private void explainOrder() {
    Meter meter = Meter.start(Budget.steps(EXPLAIN_STEPS_MAX));
    Search<S, I, O> search = Search.traced(model, ops, meter);
    List<Integer> order = search.deepestOrder(); // indexes into ops: both in invocation order
    List<S> states = search.deepestStates();
    if (order.isEmpty()) {
      line("No operation can come first; the initial state is " + states.get(0) + ".");
    } else {
      line("One of the longest legal orders consistent with real time:");
      int first = Math.max(0, order.size() - LINES_MAX);
      if (first > 0) {
        line("  ... " + first + " steps before these");
      }
      for (int i = first; i < order.size(); i++) {
        line("  " + (i + 1) + ". " + ops.get(order.get(i)).describe());
      }
      line("The state then is " + search.deepestState() + ".");
    }
    for (int op : nextCandidates(order)) {
      line(whyNotNext(ops.get(op), order, states));
    }
    if (meter.exhausted()) {
      line("(The explanation stopped after " + EXPLAIN_STEPS_MAX + " steps.)");
    }
  }

  /** The operations of known outcome, not in {@code order}, that nothing left must precede. */
  private List<Integer> nextCandidates(List<Integer> order) {
    List<Integer> left = new ArrayList<>();
    for (int op = 0; op < ops.size(); op++) {
      if (ops.get(op).outcomeKnown() && !order.contains(op)) {
        left.add(op);
      }
    }
    List<Integer> candidates = new ArrayList<>();
    for (int op : left) {
      if (left.stream().noneMatch(other -> ops.get(other).precedes(ops.get(op)))) {
        candidates.add(op);
      }
    }
    return candidates;
  }

  private String whyNotNext(Operation<I, O> op, List<Integer> order, List<S> states) {
    String what = op.describe();
    int last = order.size();
    if (legalIn(states.get(last), op)) {
      return what + " is legal next, but no legal order goes on from it.";
    }
    int j = last - 1;
    while (j >= 0 && !legalIn(states.get(j), op)) {
      j--;
    }
    if (last == 0) {
      return what + " cannot come first: it is illegal in the initial state.";
    }
    String cannot = what + " cannot come next: ";
    if (j < 0) {
      return cannot + "it is illegal at every point of this order.";
    }
    Operation<I, O> missed = ops.get(order.get(j));
    String when = j == 0 ? "at the start" : "after step " + j;
    if (missed.precedes(op)) {
      return cannot
          + "it would have been legal "
          + when
          + ", but it missed step "
          + (j + 1)
          + ", "
          + missed.describe()
          + ", which returned at "
          + missed.returnTime()
          + ", before it was invoked at "
          + op.invokeTime()
          + ".";
    }
    return cannot
        + "it would have been legal "
        + when
        + ", before step "
        + (j + 1)
        + ", "
        + missed.describe()
        + ", which overlaps it in real time; but with it first, no legal order goes on.";
  }

  private boolean legalIn(S state, Operation<I, O> op) {
    return model.step(state, op.input(), op.output()).isPresent();
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}

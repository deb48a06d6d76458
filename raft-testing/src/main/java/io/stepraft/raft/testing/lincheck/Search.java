package io.stepraft.raft.testing.lincheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether one partition's operations are linearizable: Wing and Gong's search, with Lowe's
 * memoisation of the explored (linearized set, state) pairs.
 *
 * <p>The operations' invocations and returns form one list in time order (at equal times,
 * invocations first, so that equal times count as concurrent). The search walks the list from its
 * head. At an invocation it tries to linearize that operation next: if the model accepts it and the
 * resulting (linearized set, state) pair is new, it lifts the operation's two entries out of the
 * list, pushes it and starts again from the head. At a return entry, the operation it belongs to
 * should have been linearized already (everything invoked after that return must follow it), so the
 * search pops the last operation, puts its entries back, and tries it in its next possible state or
 * moves past it. The history is linearizable once every operation with a known outcome is
 * linearized, and is not once a return is reached with nothing left to pop.
 *
 * <p>Operations of unknown outcome have no return entry: nothing has to follow them, and they may
 * stay unlinearized for ever. Linearizing one that would leave the state as it is never helps (not
 * linearizing it keeps every option open), so the search skips those moves.
 *
 * <p>Operations the model calls {@linkplain Model#readOnly read-only} prune the search: when one is
 * taken back, so is the operation before it (see {@link #backtrack}).
 *
 * <p>The memo is bounded (see {@link #exploredMax}); a search that fills it stops as if out of
 * budget. Each search runs once; not thread-safe.
 */
final class Search<S, I, O> {
  enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    OUT_OF_BUDGET
  }

  private static final int HEAD = 0;
  private static final int END = -1;

  /** The memo may always hold this many pairs, however small the heap. */
  static final long EXPLORED_MIN = 100_000;

  private final Model<S, I, O> model;
  private final List<Operation<I, O>> ops; // in invocation order
  private final Meter meter;
  private final long exploredMax;

  // The entry list. Entry 0 is the head; entries 1..2n hold invocations and returns in time order.
  // Invariant: an operation's entries are both in the list, or (linearized) both out of it.
  private final int[] next;
  private final int[] prev;
  private final int[] entryOp;
  private final boolean[] entryIsCall;
  private final int[] callEntry;
  private final int[] returnEntry; // END for an operation of unknown outcome
  private final boolean[] readOnly; // known, and read-only in the model's eyes

  private final LinearizedSet linearized;
  private final Set<LinearizedSet.Key> explored = new HashSet<>();
  private final List<Frame<S>> stack = new ArrayList<>();
  private S state;
  private Verdict verdict;
  private int farthest; // the last entry the cursor has visited
  private int knownTotal; // operations with a known outcome
  private int knownLeft; // of which not linearized yet

  private final boolean traceDeepest;
  private List<Frame<S>> deepest = List.of();
  private int deepestKnown;
  private S deepestState;

  /**
   * A linearized operation, the state before it, which of its possible next states it took, and
   * whether it is a known operation the model calls {@linkplain Model#readOnly read-only}.
   */
  record Frame<S>(int op, S before, int alternative, boolean readOnly) {}

  private Search(
      Model<S, I, O> model, List<Operation<I, O>> ops, Meter meter, boolean traceDeepest) {
    this.model = model;
    this.ops = new ArrayList<>(ops);
    this.ops.sort(Comparator.comparingLong(Operation::invokeTime));
    this.meter = meter;
    this.exploredMax = exploredMax();
    this.traceDeepest = traceDeepest;
    int n = ops.size();
    next = new int[2 * n + 1];
    prev = new int[2 * n + 1];
    entryOp = new int[2 * n + 1];
    entryIsCall = new boolean[2 * n + 1];
    callEntry = new int[n];
    returnEntry = new int[n];
    readOnly = new boolean[n];
    for (int op = 0; op < n; op++) {
      Operation<I, O> operation = this.ops.get(op);
      readOnly[op] =
          operation.outcomeKnown() && model.readOnly(operation.input(), operation.output());
    }
    linearized = new LinearizedSet(n);
    state = Objects.requireNonNull(model.initialState(), "initial state");
    deepestState = state;
    buildEntryList();
  }

  /** Decides whether {@code ops} are linearizable, within the meter's budget. */
  static <S, I, O> Verdict check(Model<S, I, O> model, List<Operation<I, O>> ops, Meter meter) {
    return new Search<>(model, ops, meter, false).run();
  }

  /** Runs a search and keeps it, for {@link #verdict} and {@link #reached}. */
  static <S, I, O> Search<S, I, O> ran(
      Model<S, I, O> model, List<Operation<I, O>> ops, Meter meter) {
    Search<S, I, O> search = new Search<>(model, ops, meter, false);
    search.run();
    return search;
  }

  /** What the search found. */
  Verdict verdict() {
    return verdict;
  }

  /**
   * Runs a search that also keeps one of the longest partial linearizations it finds (counted in
   * operations of known outcome), for reports.
   */
  static <S, I, O> Search<S, I, O> traced(
      Model<S, I, O> model, List<Operation<I, O>> ops, Meter meter) {
    Search<S, I, O> search = new Search<>(model, ops, meter, true);
    search.run();
    return search;
  }

  /** The memo holds at most this many pairs: about a kilobyte of heap each, to be safe. */
  private static long exploredMax() {
    return Math.max(EXPLORED_MIN, Runtime.getRuntime().maxMemory() / 1024);
  }

  /** The operations, in invocation order: what the indexes of this search refer to. */
  List<Operation<I, O>> operations() {
    return ops;
  }

  /**
   * The operations the search looked at: those invoked up to the farthest point it reached in time.
   * If the search found no linearization, these have none either: the search on them alone makes
   * the same moves, and could succeed only by going past that point.
   */
  List<Operation<I, O>> reached() {
    int count = 0;
    while (count < ops.size() && callEntry[count] <= farthest) {
      count++;
    }
    return ops.subList(0, count);
  }

  /** The longest partial linearization seen, as indexes into the operations. */
  List<Integer> deepestOrder() {
    List<Integer> order = new ArrayList<>(deepest.size());
    for (Frame<S> frame : deepest) {
      order.add(frame.op());
    }
    return order;
  }

  /** The state after {@link #deepestOrder}. */
  S deepestState() {
    return deepestState;
  }

  /** The states before each step of {@link #deepestOrder}, then the state after it. */
  List<S> deepestStates() {
    List<S> states = new ArrayList<>(deepest.size() + 1);
    for (Frame<S> frame : deepest) {
      states.add(frame.before());
    }
    states.add(deepestState);
    return states;
  }

  private void buildEntryList() {
    int n = ops.size();
    long[][] events = new long[2 * n][]; // {time, 0 for a call or 1 for a return, op}
    int count = 0;
    for (int op = 0; op < n; op++) {
      Operation<I, O> operation = ops.get(op);
      events[count++] = new long[] {operation.invokeTime(), 0, op};
      if (operation.outcomeKnown()) {
        events[count++] = new long[] {operation.returnTime(), 1, op};
        knownTotal++;
      }
    }
    knownLeft = knownTotal;
    Comparator<long[]> byTimeThenCallsFirst =
        Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]);
    Arrays.sort(events, 0, count, byTimeThenCallsFirst.thenComparingLong(e -> e[2]));
    Arrays.fill(returnEntry, END);
    prev[HEAD] = END;
    for (int i = 0; i < count; i++) {
      int entry = i + 1;
      int op = (int) events[i][2];
      entryOp[entry] = op;
      entryIsCall[entry] = events[i][1] == 0;
      if (entryIsCall[entry]) {
        callEntry[op] = entry;
      } else {
        returnEntry[op] = entry;
      }
      prev[entry] = entry - 1;
      next[entry - 1] = entry;
    }
    next[count] = END;
  }

  private Verdict run() {
    verdict = search();
    return verdict;
  }

  private Verdict search() {
    int cursor = next[HEAD];
    while (knownLeft > 0) {
      if (!meter.tick()) {
        return Verdict.OUT_OF_BUDGET;
      }
      if (cursor == END) {
        throw new IllegalStateException(knownLeft + " operations left but the entry list ended");
      }
      farthest = Math.max(farthest, cursor);
      if (entryIsCall[cursor]) {
        cursor = tryLinearize(entryOp[cursor], 0) ? next[HEAD] : next[cursor];
      } else {
        Frame<S> top = backtrack();
        if (top == null) {
          return Verdict.NOT_LINEARIZABLE;
        }
        int op = top.op();
        cursor = tryLinearize(op, top.alternative() + 1) ? next[HEAD] : next[callEntry[op]];
      }
    }
    return Verdict.LINEARIZABLE;
  }

  /**
   * Takes back the last linearized operation, and the one before it as long as the one taken back
   * was read-only; null if the stack ran empty, so nothing is left to try.
   *
   * <p>Why a read-only operation R takes its predecessor with it: it was legal when it was
   * linearized, in state s after the set B, and every operation that precedes it in real time was
   * in B (the cursor reached R's invocation before any pending return). Any complete linearization
   * from (B, s) places R later; moving R to the front keeps every step legal (R is legal in s, and
   * changes no state it is legal in, so every later step sees the state it saw) and respects real
   * time, so it is a complete linearization from (B + R, s). That one failed, so (B, s) fails too,
   * and trying another operation there is wasted work; this is what keeps many overlapping reads
   * from multiplying the search.
   */
  private Frame<S> backtrack() {
    while (!stack.isEmpty()) {
      Frame<S> top = stack.remove(stack.size() - 1);
      undo(top);
      if (!top.readOnly()) {
        return top;
      }
    }
    return null;
  }

  /**
   * Linearizes {@code op} next, in the first of its possible next states from {@code alternative}
   * on whose (linearized set, state) pair is unexplored; false if there is none.
   */
  private boolean tryLinearize(int op, int alternative) {
    List<S> afters = nextStates(ops.get(op));
    for (int i = alternative; i < afters.size(); i++) {
      S after = afters.get(i);
      linearized.add(op);
      if (explored.size() >= exploredMax) {
        meter.exhaust("the memo of explored states reached " + exploredMax + " entries");
        return false;
      }
      if (explored.add(linearized.key(after))) {
        stack.add(new Frame<>(op, state, i, readOnly[op]));
        state = after;
        lift(op);
        if (ops.get(op).outcomeKnown()) {
          knownLeft--;
          if (traceDeepest && knownTotal - knownLeft > deepestKnown) {
            deepestKnown = knownTotal - knownLeft;
            deepest = List.copyOf(stack);
            deepestState = state;
          }
        }
        return true;
      }
      linearized.remove(op);
    }
    return false;
  }

  private List<S> nextStates(Operation<I, O> op) {
    if (op.outcomeKnown()) {
      return model.step(state, op.input(), op.output()).map(List::of).orElse(List.of());
    }
    Collection<S> possible = model.stepUnknown(state, op.input());
    List<S> changing = new ArrayList<>(possible.size());
    for (S after : possible) {
      if (!Objects.requireNonNull(after, "a null state").equals(state)) {
        changing.add(after);
      }
    }
    return changing;
  }

  private void undo(Frame<S> frame) {
    int op = frame.op();
    unlift(op);
    linearized.remove(op);
    state = frame.before();
    if (ops.get(op).outcomeKnown()) {
      knownLeft++;
    }
  }

  private void lift(int op) {
    unlink(callEntry[op]);
    if (returnEntry[op] != END) {
      unlink(returnEntry[op]);
    }
  }

  /** Puts back what {@link #lift} took out, in reverse order (so the links it relies on hold). */
  private void unlift(int op) {
    if (returnEntry[op] != END) {
      relink(returnEntry[op]);
    }
    relink(callEntry[op]);
  }

  private void unlink(int entry) {
    next[prev[entry]] = next[entry];
    if (next[entry] != END) {
      prev[next[entry]] = prev[entry];
    }
  }

  private void relink(int entry) {
    next[prev[entry]] = entry;
    if (next[entry] != END) {
      prev[next[entry]] = entry;
    }
  }
}

package io.stepraft.raft.testing.lincheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Shrinks a non-linearizable partition to a small sub-history that is still not linearizable and in
 * which every operation is explained by the others.
 *
 * <p>Removing operations alone would shrink a stale read to the read by itself (a read of a value
 * nobody wrote is trivially not linearizable) and lose the write it missed. So a sub-history is
 * kept only if each of its operations of known outcome is <em>possible</em>: legal in some state
 * that the sub-history's own operations can produce, applied in any order. The stale read {@code
 * put(x,1); put(x,2); get(x)->1} then shrinks to those three operations, and a double successful
 * compare-and-set keeps the write that set the value both expected.
 *
 * <p>Shrinking starts from the operations the partition's failed search reached, which are not
 * linearizable either. If one of them is impossible among them (a read of a value none of them
 * wrote), it is the counterexample on its own. Otherwise they are cut to the shortest failing run
 * of their last operations, then shrunk by delta debugging: try removing chunks of half the
 * operations, then quarters, and so on down to single operations, repeated until no single
 * operation can go. Neither linearizability nor its absence is monotone in the set of operations,
 * so the result is a local minimum: no single operation can be removed, but a smaller
 * counterexample may exist.
 */
final class Shrinker<S, I, O> {
  /** Beyond this many distinct reachable states, possibility is not checked. */
  static final int REACHABLE_STATES_MAX = 100_000;

  /** The first window of last operations tried. */
  static final int WINDOW_MIN = 4;

  /**
   * The outcome of shrinking.
   *
   * @param operations the counterexample, in the partition's order
   * @param impossible true if it is one operation that is illegal in every reachable state
   * @param complete false if the budget ran out first: the counterexample may be larger than need
   *     be
   */
  record Result<I, O>(List<Operation<I, O>> operations, boolean impossible, boolean complete) {}

  private final Model<S, I, O> model;
  private final Meter meter;
  private boolean requirePossible;

  Shrinker(Model<S, I, O> model, Meter meter) {
    this.model = model;
    this.meter = meter;
  }

  /**
   * Shrinks the operations a failed search reached (see {@link Search#reached}): they are not
   * linearizable either, and usually far fewer than the partition's.
   */
  Result<I, O> shrink(List<Operation<I, O>> reached) {
    Set<S> reachable = reachableStates(reached);
    if (reachable != null) {
      for (Operation<I, O> op : reached) {
        if (op.outcomeKnown() && !legalInSome(reachable, op)) {
          return new Result<>(List.of(op), true, true);
        }
      }
      requirePossible = true;
    }
    if (meter.exhausted()) {
      return new Result<>(reached, false, false);
    }
    List<Operation<I, O>> window = lastFailingWindow(reached);
    return window == null ? new Result<>(reached, false, false) : removeWhileFailing(window);
  }

  /**
   * The shortest run of the last operations of {@code ops} (4, 8, 16, ... of them) that still
   * fails: anomalies are usually local, near the point where the search got stuck, so this cuts a
   * long history down cheaply before the slower one-by-one removal. Null if the budget ran out.
   */
  private List<Operation<I, O>> lastFailingWindow(List<Operation<I, O>> ops) {
    for (int size = WINDOW_MIN; size < ops.size(); size *= 2) {
      List<Operation<I, O>> window = ops.subList(ops.size() - size, ops.size());
      if (stillFails(window)) {
        return window;
      }
      if (meter.exhausted()) {
        return null;
      }
    }
    return ops;
  }

  /** Delta debugging: removes chunks of halving size, then single operations, while it fails. */
  private Result<I, O> removeWhileFailing(List<Operation<I, O>> failing) {
    List<Operation<I, O>> current = failing;
    int chunk = Math.max(1, current.size() / 2);
    while (true) {
      boolean removed = false;
      for (int start = 0; start < current.size() && current.size() > 1; ) {
        List<Operation<I, O>> candidate = without(current, start, chunk);
        if (stillFails(candidate)) {
          current = candidate;
          removed = true;
        } else if (meter.exhausted()) {
          return new Result<>(current, false, false);
        } else {
          start += chunk;
        }
      }
      if (chunk == 1 && !removed) {
        return new Result<>(current, false, true);
      }
      chunk = Math.max(1, chunk / 2);
    }
  }

  private boolean stillFails(List<Operation<I, O>> candidate) {
    if (candidate.stream().noneMatch(Operation::outcomeKnown)) {
      return false;
    }
    if (requirePossible && !allPossible(candidate)) {
      return false;
    }
    return Search.check(model, candidate, meter) == Search.Verdict.NOT_LINEARIZABLE;
  }

  private boolean allPossible(List<Operation<I, O>> ops) {
    Set<S> reachable = reachableStates(ops);
    if (reachable == null) {
      return false;
    }
    for (Operation<I, O> op : ops) {
      if (op.outcomeKnown() && !legalInSome(reachable, op)) {
        return false;
      }
    }
    return true;
  }

  private boolean legalInSome(Set<S> states, Operation<I, O> op) {
    for (S state : states) {
      if (model.step(state, op.input(), op.output()).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every state that {@code ops} can produce from the initial state, applied in any order and any
   * number of times (an over-approximation that ignores real time); null if there are more than
   * {@link #REACHABLE_STATES_MAX} or the budget ran out.
   */
  private Set<S> reachableStates(List<Operation<I, O>> ops) {
    S initial = model.initialState();
    Set<S> seen = new HashSet<>(List.of(initial));
    ArrayDeque<S> work = new ArrayDeque<>(seen);
    while (!work.isEmpty()) {
      S state = work.poll();
      for (Operation<I, O> op : ops) {
        if (!meter.tick()) {
          return null;
        }
        for (S after : successors(state, op)) {
          if (seen.add(after)) {
            if (seen.size() > REACHABLE_STATES_MAX) {
              return null;
            }
            work.add(after);
          }
        }
      }
    }
    return seen;
  }

  private Collection<S> successors(S state, Operation<I, O> op) {
    if (op.outcomeKnown()) {
      Optional<S> after = model.step(state, op.input(), op.output());
      return after.isPresent() ? List.of(after.get()) : List.of();
    }
    return model.stepUnknown(state, op.input());
  }

  private static <T> List<T> without(List<T> list, int start, int count) {
    List<T> rest = new ArrayList<>(list.size());
    rest.addAll(list.subList(0, start));
    rest.addAll(list.subList(Math.min(list.size(), start + count), list.size()));
    return rest;
  }
}

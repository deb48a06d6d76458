package io.stepraft.raft.testing.lincheck;

import java.util.List;
import java.util.Optional;

/**
 * The naive checker the real one is compared with: tries every order of the operations that
 * respects real time (each unknown-outcome operation in every position, in each of its possible
 * states, or left out), without partitions, memoisation or pruning beyond an illegal step.
 */
final class BruteForce {
  private BruteForce() {}

  static <S, I, O> boolean linearizable(Model<S, I, O> model, List<Operation<I, O>> ops) {
    return extend(model, ops, new boolean[ops.size()], model.initialState());
  }

  private static <S, I, O> boolean extend(
      Model<S, I, O> model, List<Operation<I, O>> ops, boolean[] used, S state) {
    if (allKnownUsed(ops, used)) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i] || mustWait(ops, used, i)) {
        continue;
      }
      Operation<I, O> op = ops.get(i);
      List<S> afters =
          op.returnTime() == Operation.NEVER
              ? List.copyOf(model.stepUnknown(state, op.input()))
              : asList(model.step(state, op.input(), op.output()));
      for (S after : afters) {
        used[i] = true;
        boolean found = extend(model, ops, used, after);
        used[i] = false;
        if (found) {
          return true;
        }
      }
    }
    return false;
  }

  /** True if an unused operation with an answer returned before operation {@code i} began. */
  private static boolean mustWait(List<? extends Operation<?, ?>> ops, boolean[] used, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!used[j] && ops.get(j).returnTime() < ops.get(i).invokeTime()) {
        return true;
      }
    }
    return false;
  }

  private static boolean allKnownUsed(List<? extends Operation<?, ?>> ops, boolean[] used) {
    for (int i = 0; i < ops.size(); i++) {
      if (!used[i] && ops.get(i).returnTime() != Operation.NEVER) {
        return false;
      }
    }
    return true;
  }

  private static <S> List<S> asList(Optional<S> state) {
    return state.map(List::of).orElse(List.of());
  }
}

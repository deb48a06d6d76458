package io.stepraft.raft.testing.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The checker against {@link BruteForce}, which tries every order of the operations that respects
 * real time, on thousands of small random histories (up to 7 operations, 1 or 2 keys, failed and
 * timed-out operations included). Each test also checks that both answers came up often enough for
 * the comparison to mean something, and every counterexample against the brute force.
 */
class CheckerVersusBruteForceTest {
  private static final int HISTORIES = 3000;
  private static final int OPS_MAX = 7;

  private static final RandomHistories<?, KvModel.Input<String, Integer>, Reply<Integer>> ONE_KEY =
      new RandomHistories<>(Kv.MODEL, RandomHistories.kv(1));
  private static final RandomHistories<?, KvModel.Input<String, Integer>, Reply<Integer>> TWO_KEYS =
      new RandomHistories<>(Kv.MODEL, RandomHistories.kv(2));

  @Test
  void historiesOfARealKeyValueStoreAreLinearizable() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < HISTORIES; i++) {
      var ops = TWO_KEYS.linearizable(random, 1 + random.nextInt(OPS_MAX));
      assertTrue(BruteForce.linearizable(Kv.MODEL, ops), () -> "brute force rejects\n" + ops);
      Kv.check(ops).assertLinearizable();
    }
  }

  @Test
  void historiesOfARealRegisterAreLinearizable() {
    RegisterModel<Integer> model = RegisterModel.startingAt(0);
    var histories = new RandomHistories<>(model, RandomHistories.register());
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < HISTORIES; i++) {
      var ops = histories.linearizable(random, 1 + random.nextInt(OPS_MAX));
      assertTrue(BruteForce.linearizable(model, ops), () -> "brute force rejects\n" + ops);
      LinearizabilityChecker.check(model, History.of(ops), Budget.unlimited()).assertLinearizable();
    }
  }

  @Test
  void randomKeyValueHistoriesGetTheBruteForceAnswer() {
    compare(Kv.MODEL, new SplittableRandom(3), ONE_KEY::random);
    compare(Kv.MODEL, new SplittableRandom(4), TWO_KEYS::random);
  }

  @Test
  void mutatedKeyValueHistoriesGetTheBruteForceAnswer() {
    compare(Kv.MODEL, new SplittableRandom(5), ONE_KEY::mutated);
    compare(Kv.MODEL, new SplittableRandom(6), TWO_KEYS::mutated);
  }

  @Test
  void randomRegisterHistoriesGetTheBruteForceAnswer() {
    RegisterModel<Integer> model = RegisterModel.startingAt(0);
    var histories = new RandomHistories<>(model, RandomHistories.register());
    compare(model, new SplittableRandom(7), histories::random);
    compare(model, new SplittableRandom(8), histories::mutated);
  }

  /**
   * Checks {@link #HISTORIES} histories from {@code generate} with both checkers, and each
   * counterexample with the brute force; fails if either answer came up less than a tenth of the
   * time.
   */
  private static <S, I, O> void compare(
      Model<S, I, O> model,
      SplittableRandom random,
      BiFunction<SplittableRandom, Integer, List<Operation<I, O>>> generate) {
    int linearizable = 0;
    for (int i = 0; i < HISTORIES; i++) {
      List<Operation<I, O>> ops = generate.apply(random, 1 + random.nextInt(OPS_MAX));
      boolean expected = BruteForce.linearizable(model, ops);
      CheckResult<I, O> result =
          LinearizabilityChecker.check(model, History.of(ops), Budget.unlimited());
      assertEquals(
          expected ? CheckResult.Outcome.LINEARIZABLE : CheckResult.Outcome.NOT_LINEARIZABLE,
          result.outcome(),
          () -> "history\n" + History.of(ops) + result.report());
      assertEquals(
          result.outcome(),
          LinearizabilityChecker.check(plain(model), History.of(ops), Budget.unlimited()).outcome(),
          () -> "without partitions and read-only pruning\n" + History.of(ops));
      if (expected) {
        linearizable++;
      } else {
        checkCounterexample(model, ops, result);
      }
    }
    assertTrue(linearizable > HISTORIES / 10, "linearizable: " + linearizable);
    assertTrue(linearizable < HISTORIES * 9 / 10, "linearizable: " + linearizable);
  }

  /** The same model without its partitions and read-only hints: the plain search. */
  private static <S, I, O> Model<S, I, O> plain(Model<S, I, O> model) {
    return new Model<>() {
      @Override
      public S initialState() {
        return model.initialState();
      }

      @Override
      public Optional<S> step(S state, I input, O output) {
        return model.step(state, input, output);
      }

      @Override
      public Collection<S> stepUnknown(S state, I input) {
        return model.stepUnknown(state, input);
      }
    };
  }

  /** A counterexample is operations of the history, of one partition, and not linearizable. */
  private static <S, I, O> void checkCounterexample(
      Model<S, I, O> model, List<Operation<I, O>> ops, CheckResult<I, O> result) {
    List<Operation<I, O>> counterexample = result.counterexample();
    assertFalse(counterexample.isEmpty(), result.report());
    assertTrue(ops.containsAll(counterexample), result.report());
    var partitions = new HashSet<>();
    for (Operation<I, O> op : counterexample) {
      partitions.add(String.valueOf(model.partitionKey(op.input())));
    }
    assertEquals(1, partitions.size(), result.report());
    assertFalse(BruteForce.linearizable(model, counterexample), result.report());
  }
}

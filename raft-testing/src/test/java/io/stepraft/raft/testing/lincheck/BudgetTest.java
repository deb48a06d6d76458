package io.stepraft.raft.testing.lincheck;

import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.NOT_LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A check that runs out of budget says UNKNOWN, never LINEARIZABLE. */
class BudgetTest {
  private static final int CONCURRENT_WRITES = 40;

  /**
   * 40 writes of distinct values, all overlapping, then two reads that disagree: not linearizable,
   * but proving it means trying the writes' subsets and orders (about 2^40 pairs of linearized set
   * and state).
   */
  private static History<RegisterModel.Input<Integer>, Reply<Integer>> hard() {
    List<Operation<RegisterModel.Input<Integer>, Reply<Integer>>> ops = new ArrayList<>();
    for (int i = 1; i <= CONCURRENT_WRITES; i++) {
      ops.add(new Operation<>(i, RegisterModel.write(i), Reply.ok(), i, 1000 + i));
    }
    ops.add(new Operation<>(0, RegisterModel.read(), Reply.found(1), 2000, 2001));
    ops.add(new Operation<>(0, RegisterModel.read(), Reply.found(2), 2002, 2003));
    return History.of(ops);
  }

  @Test
  void aTinyStepBudgetOnAHardNonLinearizableHistoryIsUnknown() {
    var result =
        LinearizabilityChecker.check(RegisterModel.startingAt(0), hard(), Budget.steps(10_000));
    assertEquals(UNKNOWN, result.outcome(), result.report());
    assertFalse(result.isLinearizable());
    assertTrue(result.counterexample().isEmpty());
    assertEquals(10_000, result.steps());
    assertTrue(
        result.report().startsWith("UNKNOWN: the budget (10000 steps) ran out"), result.report());
    assertThrows(AssertionError.class, result::assertLinearizable);
  }

  @Test
  void noBudgetEverTurnsAHardNonLinearizableHistoryIntoAPass() {
    for (long steps = 1; steps <= 1_000_000; steps *= 10) {
      var result =
          LinearizabilityChecker.check(RegisterModel.startingAt(0), hard(), Budget.steps(steps));
      assertNotEquals(LINEARIZABLE, result.outcome(), result.report());
    }
  }

  @Test
  void aTimeBudgetRunsOutToo() {
    var result =
        LinearizabilityChecker.check(
            RegisterModel.startingAt(0), hard(), Budget.time(Duration.ofNanos(1)));
    assertEquals(UNKNOWN, result.outcome(), result.report());
  }

  @Test
  void partitionsCheckedBeforeTheBudgetRanOutAreCounted() {
    List<Operation<KvModel.Input<String, Integer>, Reply<Integer>>> ops = new ArrayList<>();
    ops.add(Kv.op(1, 0, 1, KvModel.put("small", 1), Reply.ok()));
    for (int i = 0; i < 20; i++) {
      ops.add(Kv.op(i, i, 100 + i, KvModel.put("big", i), Reply.ok()));
    }
    ops.add(Kv.op(0, 200, 201, KvModel.get("big"), Reply.found(1)));
    ops.add(Kv.op(0, 202, 203, KvModel.get("big"), Reply.found(2)));
    var result = LinearizabilityChecker.check(Kv.MODEL, History.of(ops), Budget.steps(1000));
    assertEquals(UNKNOWN, result.outcome(), result.report());
    assertTrue(
        result.report().contains("in partition big (22 operations); 1 of 2"), result.report());
  }

  @Test
  void aGenerousBudgetDecidesAnEasyHistoryAndReportsItsSteps() {
    var result =
        Kv.check(
            Kv.op(1, 0, 10, KvModel.put("x", 1), Reply.ok()),
            Kv.op(2, 20, 30, KvModel.get("x"), Reply.absent()));
    assertEquals(NOT_LINEARIZABLE, result.outcome());
    assertTrue(result.steps() > 0);
  }

  @Test
  void budgetsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> Budget.steps(0));
    assertThrows(IllegalArgumentException.class, () -> Budget.time(Duration.ZERO));
    assertEquals("5 steps or 7 ms", Budget.steps(5).andTime(Duration.ofMillis(7)).toString());
    assertEquals("unlimited", Budget.unlimited().toString());
  }
}

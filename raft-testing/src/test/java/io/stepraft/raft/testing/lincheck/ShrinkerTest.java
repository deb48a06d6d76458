package io.stepraft.raft.testing.lincheck;

import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.NOT_LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.Kv.op;
import static io.stepraft.raft.testing.lincheck.KvModel.get;
import static io.stepraft.raft.testing.lincheck.KvModel.put;
import static io.stepraft.raft.testing.lincheck.Reply.found;
import static io.stepraft.raft.testing.lincheck.Reply.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counterexamples are shrunk to the operations that show the anomaly. */
class ShrinkerTest {
  private static final int ROUNDS = 100;

  /**
   * Rounds of put(x, i) then two overlapping reads of i, on one key, from three clients; in round
   * 60 the second read returns the previous round's value after the first read saw the new one.
   */
  private static List<Operation<KvModel.Input<String, Integer>, Reply<Integer>>>
      roundsWithOneStaleRead() {
    List<Operation<KvModel.Input<String, Integer>, Reply<Integer>>> ops = new ArrayList<>();
    for (int i = 1; i <= ROUNDS; i++) {
      long t = 10L * i;
      ops.add(op(1, t, t + 4, put("x", i), ok()));
      ops.add(op(2, t + 3, t + 6, get("x"), found(i))); // overlaps the put: sees it
      ops.add(op(3, t + 7, t + 9, get("x"), found(i == 60 ? i - 1 : i)));
    }
    return ops;
  }

  @Test
  void aStaleReadAmongHundredsOfOperationsOnOneKeyShrinksToTheWritesAndTheRead() {
    var result = Kv.check(roundsWithOneStaleRead());

    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(
        List.of(
            op(1, 590, 594, put("x", 59), ok()),
            op(1, 600, 604, put("x", 60), ok()),
            op(3, 607, 609, get("x"), found(59))),
        result.counterexample(),
        result.report());
    assertTrue(result.report().contains("of 300 in the partition"), result.report());
    assertFalse(result.report().contains("Shrinking ran out"), result.report());
  }

  @Test
  void whenShrinkingRunsOutOfBudgetTheCounterexampleIsStillNotLinearizable() {
    var ops = roundsWithOneStaleRead();
    var result = LinearizabilityChecker.check(Kv.MODEL, History.of(ops), Budget.steps(2_000));

    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertTrue(result.report().contains("Shrinking ran out of budget"), result.report());
    assertTrue(result.counterexample().size() > 3, result.report());
    assertEquals(NOT_LINEARIZABLE, Kv.check(result.counterexample()).outcome());
  }
}

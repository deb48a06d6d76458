package io.stepraft.raft.testing.lincheck;

import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.NOT_LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.Kv.op;
import static io.stepraft.raft.testing.lincheck.Kv.timedOut;
import static io.stepraft.raft.testing.lincheck.KvModel.cas;
import static io.stepraft.raft.testing.lincheck.KvModel.casIfAbsent;
import static io.stepraft.raft.testing.lincheck.KvModel.delete;
import static io.stepraft.raft.testing.lincheck.KvModel.get;
import static io.stepraft.raft.testing.lincheck.KvModel.put;
import static io.stepraft.raft.testing.lincheck.Reply.absent;
import static io.stepraft.raft.testing.lincheck.Reply.failed;
import static io.stepraft.raft.testing.lincheck.Reply.found;
import static io.stepraft.raft.testing.lincheck.Reply.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known key-value histories, each named by the rule it checks: linearizable ones the checker must
 * accept, and the classic anomalies it must catch with a counterexample that shows them.
 */
class KeyValueHistoriesTest {
  @Test
  void concurrentClientsOnTwoKeysWithOverlappingOperationsAreLinearizable() {
    Kv.check(
            op(1, 0, 10, put("x", 1), ok()),
            op(2, 2, 12, put("y", 1), ok()),
            op(3, 5, 20, get("x"), found(1)),
            op(1, 11, 30, put("x", 2), ok()),
            op(2, 13, 25, get("x"), found(2)), // overlaps the put: may see it
            op(3, 21, 40, cas("x", 2, 3), ok()),
            op(2, 26, 35, get("x"), found(2)), // overlaps the cas: may miss it
            op(1, 31, 45, cas("x", 2, 4), failed()),
            op(2, 36, 50, delete("y"), ok()),
            op(3, 41, 55, get("y"), found(1)), // overlaps the delete
            op(1, 46, 60, get("x"), found(3)),
            op(3, 56, 70, casIfAbsent("y", 7), ok()),
            op(2, 51, 65, get("y"), absent()))
        .assertLinearizable();
  }

  @Test
  void readsOverlappingAWriteMaySeeItInEitherOrderButNotFlipBack() {
    var write = op(1, 0, 100, put("x", 1), ok());
    Kv.check(write, op(2, 10, 20, get("x"), found(1)), op(3, 15, 30, get("x"), absent()))
        .assertLinearizable();
    var result =
        Kv.check(write, op(2, 10, 20, get("x"), found(1)), op(3, 30, 40, get("x"), absent()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
  }

  @Test
  void staleReadAfterANewerWriteCompletedIsCaughtWithTheWriteItMissed() {
    var first = op(1, 0, 10, put("x", 1), ok());
    var second = op(2, 20, 30, put("x", 2), ok());
    var staleRead = op(3, 40, 50, get("x"), found(1));
    List<Operation<KvModel.Input<String, Integer>, Reply<Integer>>> history =
        new ArrayList<>(List.of(first, second, staleRead));
    for (int t = 0; t < 100; t += 5) { // unrelated traffic on y, and later reads of x
      history.add(op(4, t, t + 3, put("y", t), ok()));
      history.add(op(5, t + 1, t + 4, get("y"), found(t)));
    }
    history.add(op(6, 60, 70, get("x"), found(2)));

    var result = Kv.check(history);

    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(List.of(first, second, staleRead), result.counterexample(), result.report());
    assertTrue(
        result
            .report()
            .contains(
                "get(x) -> 1 cannot come next: it would have been legal after step 1, but it"
                    + " missed step 2, put(x, 2) -> ok, which returned at 30, before it was"
                    + " invoked at 40."),
        result.report());
  }

  @Test
  void lostWriteNeverVisibleToLaterReadsIsCaught() {
    var write = op(1, 0, 10, put("x", 1), ok());
    var result =
        Kv.check(
            op(2, 0, 5, get("x"), absent()),
            write,
            op(2, 20, 30, get("x"), absent()),
            op(3, 40, 50, get("x"), absent()),
            op(1, 60, 70, get("x"), absent()));

    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(2, result.counterexample().size(), result.report());
    assertEquals(write, result.counterexample().get(0), result.report());
    assertTrue(result.report().contains("but it missed step 1, put(x, 1) -> ok"), result.report());
  }

  @Test
  void twoCompareAndSetsOnTheSameExpectedValueCannotBothSucceed() {
    var setup = op(1, 0, 1, put("x", 0), ok());
    var first = op(2, 2, 5, cas("x", 0, 1), ok());
    var second = op(3, 3, 6, cas("x", 0, 2), ok());

    var result = Kv.check(setup, first, second, op(1, 10, 11, get("x"), found(2)));

    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(List.of(setup, first, second), result.counterexample(), result.report());
    assertTrue(result.report().contains("which overlaps it in real time"), result.report());
  }

  @Test
  void twoCreatesOfAnAbsentKeyCannotBothSucceedButOneMayFail() {
    var first = op(2, 2, 5, casIfAbsent("x", 1), ok());
    Kv.check(first, op(3, 3, 6, casIfAbsent("x", 2), failed())).assertLinearizable();
    var result = Kv.check(first, op(3, 3, 6, casIfAbsent("x", 2), ok()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
  }

  @Test
  void timedOutWriteThatALaterReadSawMustHaveTakenEffectAndStays() {
    var write = timedOut(1, 0, put("x", 1));
    Kv.check(write, op(2, 100, 110, get("x"), found(1))).assertLinearizable();
    var result =
        Kv.check(write, op(2, 100, 110, get("x"), found(1)), op(2, 120, 130, get("x"), absent()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
  }

  @Test
  void timedOutWriteMayNeverTakeEffectOrTakeEffectLate() {
    var write = timedOut(1, 0, put("x", 1));
    Kv.check(write, op(2, 100, 110, get("x"), absent())).assertLinearizable();
    Kv.check(
            write,
            op(2, 100, 110, get("x"), absent()),
            op(2, 1000, 1010, get("x"), found(1))) // long after the client gave up
        .assertLinearizable();
  }

  @Test
  void timedOutWriteCannotTakeEffectBeforeItsInvocation() {
    var read = op(2, 0, 10, get("x"), found(1));
    var write = timedOut(1, 20, put("x", 1));
    var result = Kv.check(read, write);
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(List.of(read), result.counterexample(), result.report());
    assertTrue(
        result
            .report()
            .contains(
                "get(x) -> 1 is illegal in every state that the 1 operations in partition x"
                    + " invoked up to time 0 can produce"),
        result.report());
  }

  @Test
  void timedOutCompareAndSetTakesEffectOnlyIfItsExpectedValueIsThere() {
    var setup = op(1, 0, 1, put("x", 1), ok());
    var cas = timedOut(2, 2, cas("x", 1, 2));
    Kv.check(setup, cas, op(3, 10, 11, get("x"), found(2))).assertLinearizable();
    var result =
        Kv.check(
            setup,
            op(1, 2, 3, put("x", 3), ok()),
            timedOut(2, 5, cas("x", 1, 2)), // invoked after x became 3
            op(3, 10, 11, get("x"), found(2)));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
  }

  @Test
  void timedOutReadsConstrainNothing() {
    Kv.check(
            op(1, 0, 10, put("x", 1), ok()),
            timedOut(2, 20, get("x")),
            timedOut(3, 21, get("x")),
            op(1, 30, 40, get("x"), found(1)))
        .assertLinearizable();
  }

  @Test
  void failedOperationsAreLeftOut() {
    var history =
        History.<KvModel.Input<String, Integer>, Reply<Integer>>builder()
            .invoke(1, put("x", 1), 0)
            .ok(1, ok(), 10)
            .invoke(2, put("x", 2), 20)
            .fail(2, 30) // definitely not applied
            .invoke(3, get("x"), 40)
            .ok(3, found(1), 50)
            .build();

    assertEquals(2, history.size());
    LinearizabilityChecker.check(Kv.MODEL, history, Budget.unlimited()).assertLinearizable();
    // Had the failed put counted, the read would be stale:
    var counted = Kv.check(op(1, 0, 10, put("x", 1), ok()), op(2, 20, 30, put("x", 2), ok()));
    assertEquals(LINEARIZABLE, counted.outcome());
    var stale =
        Kv.check(
            op(1, 0, 10, put("x", 1), ok()),
            op(2, 20, 30, put("x", 2), ok()),
            op(3, 40, 50, get("x"), found(1)));
    assertEquals(NOT_LINEARIZABLE, stale.outcome());
  }

  @Test
  void readOfAValueNobodyWroteIsTheWholeCounterexample() {
    var bogus = op(3, 40, 50, get("x"), found(9));
    var result = Kv.check(op(1, 0, 10, put("x", 1), ok()), op(2, 20, 30, put("x", 2), ok()), bogus);
    assertEquals(List.of(bogus), result.counterexample(), result.report());
    assertTrue(
        result
            .report()
            .contains(
                "get(x) -> 9 is illegal in every state that the 3 operations in partition x"
                    + " invoked up to time 40 can produce, in any order"),
        result.report());
  }

  @Test
  void operationsThatEndAndStartAtTheSameTimeCountAsConcurrent() {
    Kv.check(op(1, 0, 10, put("x", 1), ok()), op(2, 10, 20, get("x"), absent()))
        .assertLinearizable();
    var result = Kv.check(op(1, 0, 10, put("x", 1), ok()), op(2, 11, 20, get("x"), absent()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
  }

  @Test
  void eachKeyIsCheckedOnItsOwnAndTheCounterexampleComesFromTheFailingKey() {
    var result =
        Kv.check(
            op(1, 0, 10, put("a", 1), ok()),
            op(1, 20, 30, get("a"), found(1)),
            op(2, 0, 10, put("b", 1), ok()),
            op(2, 20, 30, get("b"), absent()),
            op(3, 0, 10, put("c", 1), ok()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    for (var op : result.counterexample()) {
      assertEquals("b", op.input().key(), result.report());
    }
    assertTrue(result.report().startsWith("NOT LINEARIZABLE in partition b:"), result.report());
  }

  @Test
  void emptyHistoryAndOnlyTimedOutOperationsAreLinearizable() {
    Kv.check().assertLinearizable();
    Kv.check(timedOut(1, 0, put("x", 1)), timedOut(2, 0, get("x"))).assertLinearizable();
  }

  @Test
  void startingContentsAreVisibleToReads() {
    var model = KvModel.<String, Integer>startingWith(java.util.Map.of("x", 5));
    var history = History.of(List.of(op(1, 0, 10, get("x"), found(5))));
    LinearizabilityChecker.check(model, history, Budget.unlimited()).assertLinearizable();
    assertEquals(NOT_LINEARIZABLE, Kv.check(op(1, 0, 10, get("x"), found(5))).outcome());
  }
}

package io.stepraft.raft.testing.lincheck;

import static io.stepraft.raft.testing.lincheck.CheckResult.Outcome.NOT_LINEARIZABLE;
import static io.stepraft.raft.testing.lincheck.RegisterModel.cas;
import static io.stepraft.raft.testing.lincheck.RegisterModel.read;
import static io.stepraft.raft.testing.lincheck.RegisterModel.write;
import static io.stepraft.raft.testing.lincheck.Reply.failed;
import static io.stepraft.raft.testing.lincheck.Reply.found;
import static io.stepraft.raft.testing.lincheck.Reply.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The register model: its table of legal outputs, and histories checked against it. */
class RegisterModelTest {
  private static final RegisterModel<Integer> MODEL = RegisterModel.startingAt(0);

  private static Operation<RegisterModel.Input<Integer>, Reply<Integer>> op(
      long client,
      long invoke,
      long ret,
      RegisterModel.Input<Integer> input,
      Reply<Integer> output) {
    return new Operation<>(client, input, output, invoke, ret);
  }

  @SafeVarargs
  private static CheckResult<RegisterModel.Input<Integer>, Reply<Integer>> check(
      Operation<RegisterModel.Input<Integer>, Reply<Integer>>... ops) {
    return LinearizabilityChecker.check(MODEL, History.of(List.of(ops)), Budget.unlimited());
  }

  @Test
  void readAnswersTheValueWriteSetsItCasSetsItOnlyFromTheExpectedValue() {
    assertEquals(0, MODEL.initialState());
    assertEquals(Optional.of(0), MODEL.step(0, read(), found(0)));
    assertEquals(Optional.empty(), MODEL.step(0, read(), found(1)));
    assertEquals(Optional.of(4), MODEL.step(0, write(4), ok()));
    assertEquals(Optional.empty(), MODEL.step(0, write(4), failed()));
    assertEquals(Optional.of(4), MODEL.step(0, cas(0, 4), ok()));
    assertEquals(Optional.empty(), MODEL.step(0, cas(0, 4), failed()));
    assertEquals(Optional.empty(), MODEL.step(1, cas(0, 4), ok()));
    assertEquals(Optional.of(1), MODEL.step(1, cas(0, 4), failed()));
    assertEquals(List.of(4), List.copyOf(MODEL.stepUnknown(0, cas(0, 4))));
    assertEquals(List.of(1), List.copyOf(MODEL.stepUnknown(1, cas(0, 4))));
    assertNull(MODEL.partitionKey(read()));
  }

  @Test
  void overlappingWritesAndReadsInAnyConsistentOrderAreLinearizable() {
    check(
            op(1, 0, 10, write(1), ok()),
            op(2, 5, 15, write(2), ok()),
            op(3, 6, 8, read(), found(1)),
            op(3, 9, 20, read(), found(2)),
            op(1, 11, 30, cas(2, 3), ok()),
            op(2, 16, 25, cas(2, 4), failed()),
            op(3, 31, 40, read(), found(3)))
        .assertLinearizable();
  }

  @Test
  void readOfTheOldValueAfterAWriteCompletedIsNotLinearizable() {
    var result = check(op(1, 0, 10, write(1), ok()), op(2, 20, 30, read(), found(0)));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(2, result.counterexample().size(), result.report());
  }

  @Test
  void twoCasFromTheSameValueCannotBothSucceed() {
    var result = check(op(1, 0, 10, cas(0, 1), ok()), op(2, 0, 10, cas(0, 2), ok()));
    assertEquals(NOT_LINEARIZABLE, result.outcome(), result.report());
    assertEquals(2, result.counterexample().size(), result.report());
  }
}

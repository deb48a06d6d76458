package io.stepraft.raft.testing.lincheck;

import static io.stepraft.raft.testing.lincheck.KvModel.get;
import static io.stepraft.raft.testing.lincheck.KvModel.put;
import static io.stepraft.raft.testing.lincheck.Reply.found;
import static io.stepraft.raft.testing.lincheck.Reply.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Building histories: what each event means, and the events that are refused. */
class HistoryTest {
  private static History.Builder<KvModel.Input<String, Integer>, Reply<Integer>> builder() {
    return History.builder();
  }

  @Test
  void okKeepsTheOperationWithItsOutputAndTimes() {
    var history = builder().invoke(7, put("x", 1), 3).ok(7, ok(), 9).build();
    assertEquals(List.of(new Operation<>(7, put("x", 1), ok(), 3, 9)), history.operations());
  }

  @Test
  void failDropsTheOperation() {
    var history = builder().invoke(1, put("x", 1), 0).fail(1, 5).build();
    assertEquals(0, history.size());
  }

  @Test
  void timeoutAndOperationsStillInFlightHaveAnUnknownOutcome() {
    var history =
        builder()
            .invoke(1, put("x", 1), 0)
            .timeout(1, 5)
            .invoke(1, put("x", 2), 6) // the client may go on after a timeout
            .build();
    assertEquals(
        List.of(Operation.timedOut(1, put("x", 1), 0), Operation.timedOut(1, put("x", 2), 6)),
        history.operations());
    assertFalse(history.operations().get(0).outcomeKnown());
    assertEquals(Operation.NEVER, history.operations().get(0).returnTime());
  }

  @Test
  void operationsKeepTheirInvocationOrderAcrossClients() {
    var history =
        builder()
            .invoke(1, put("x", 1), 0)
            .invoke(2, get("x"), 1)
            .ok(2, found(1), 2)
            .ok(1, ok(), 3)
            .build();
    assertEquals(put("x", 1), history.operations().get(0).input());
    assertEquals(get("x"), history.operations().get(1).input());
  }

  @Test
  void aClientWithAnOperationInFlightCannotInvokeAnother() {
    var builder = builder().invoke(1, put("x", 1), 0);
    assertThrows(IllegalStateException.class, () -> builder.invoke(1, get("x"), 1));
  }

  @Test
  void completingWithoutAnInvocationOrBeforeItIsRefused() {
    assertThrows(IllegalStateException.class, () -> builder().ok(1, ok(), 0));
    assertThrows(IllegalStateException.class, () -> builder().timeout(1, 0));
    var builder = builder().invoke(1, put("x", 1), 10);
    assertThrows(IllegalArgumentException.class, () -> builder.ok(1, ok(), 9));
  }

  @Test
  void operationsCheckTheirFields() {
    assertThrows(IllegalArgumentException.class, () -> new Operation<>(1, put("x", 1), ok(), 5, 4));
    assertThrows(IllegalArgumentException.class, () -> new Operation<>(1, put("x", 1), null, 5, 6));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Operation<>(1, put("x", 1), ok(), 5, Operation.NEVER));
    assertThrows(IllegalArgumentException.class, () -> new Operation<>(1, null, ok(), 5, 6));
    assertTrue(new Operation<>(1, put("x", 1), ok(), 5, 5).outcomeKnown());
  }

  @Test
  void operationsPrintAsAReportShowsThem() {
    assertEquals(
        "client 2 [30, 45] get(x) -> 1", new Operation<>(2, get("x"), found(1), 30, 45).toString());
    assertEquals(
        "client 3 [50, ?] put(x, 1) -> ? (timed out)",
        Operation.timedOut(3, put("x", 1), 50).toString());
  }
}

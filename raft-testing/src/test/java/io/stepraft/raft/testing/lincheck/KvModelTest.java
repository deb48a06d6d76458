package io.stepraft.raft.testing.lincheck;

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
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key-value model's table of legal outputs and effects, one row per assertion. */
class KvModelTest {
  private static final KvModel<String, Integer> MODEL = KvModel.empty();
  private static final Map<String, Integer> X1 = Map.of("x", 1);
  private static final Map<String, Integer> EMPTY = Map.of();

  @Test
  void getAnswersTheValueOrAbsentAndChangesNothing() {
    assertEquals(Optional.of(X1), MODEL.step(X1, get("x"), found(1)));
    assertEquals(Optional.empty(), MODEL.step(X1, get("x"), found(2)));
    assertEquals(Optional.empty(), MODEL.step(X1, get("x"), absent()));
    assertEquals(Optional.of(EMPTY), MODEL.step(EMPTY, get("x"), absent()));
    assertEquals(Optional.empty(), MODEL.step(EMPTY, get("x"), found(1)));
    assertEquals(Optional.empty(), MODEL.step(X1, get("x"), ok()));
  }

  @Test
  void putAndDeleteAnswerOkAndSetOrRemoveTheKey() {
    assertEquals(Optional.of(Map.of("x", 2)), MODEL.step(X1, put("x", 2), ok()));
    assertEquals(Optional.of(Map.of("x", 1, "y", 2)), MODEL.step(X1, put("y", 2), ok()));
    assertEquals(Optional.of(EMPTY), MODEL.step(X1, delete("x"), ok()));
    assertEquals(Optional.of(EMPTY), MODEL.step(EMPTY, delete("x"), ok()));
    assertEquals(Optional.empty(), MODEL.step(X1, put("x", 2), failed()));
    assertEquals(Optional.empty(), MODEL.step(X1, delete("x"), found(1)));
  }

  @Test
  void compareAndSetSucceedsExactlyWhenTheExpectedValueOrAbsenceIsThere() {
    assertEquals(Optional.of(Map.of("x", 2)), MODEL.step(X1, cas("x", 1, 2), ok()));
    assertEquals(Optional.empty(), MODEL.step(X1, cas("x", 1, 2), failed()));
    assertEquals(Optional.empty(), MODEL.step(X1, cas("x", 3, 2), ok()));
    assertEquals(Optional.of(X1), MODEL.step(X1, cas("x", 3, 2), failed()));
    assertEquals(Optional.of(X1), MODEL.step(EMPTY, casIfAbsent("x", 1), ok()));
    assertEquals(Optional.of(EMPTY), MODEL.step(EMPTY, cas("x", 1, 2), failed()));
    assertEquals(Optional.of(X1), MODEL.step(X1, casIfAbsent("x", 2), failed()));
    assertEquals(Optional.empty(), MODEL.step(X1, casIfAbsent("x", 2), ok()));
  }

  @Test
  void anUnknownOutcomeLeavesTheStateAWriteWouldLeave() {
    assertEquals(List.of(X1), List.copyOf(MODEL.stepUnknown(X1, get("x"))));
    assertEquals(List.of(Map.of("x", 2)), List.copyOf(MODEL.stepUnknown(X1, put("x", 2))));
    assertEquals(List.of(EMPTY), List.copyOf(MODEL.stepUnknown(X1, delete("x"))));
    assertEquals(List.of(Map.of("x", 2)), List.copyOf(MODEL.stepUnknown(X1, cas("x", 1, 2))));
    assertEquals(List.of(X1), List.copyOf(MODEL.stepUnknown(X1, cas("x", 3, 2))));
  }

  @Test
  void eachKeyIsAPartitionAndStatesAreNotChangedInPlace() {
    assertEquals("x", MODEL.partitionKey(cas("x", 1, 2)));
    assertEquals("y", MODEL.partitionKey(get("y")));
    assertThrows(UnsupportedOperationException.class, () -> X1.put("x", 5));
    assertThrows(
        UnsupportedOperationException.class,
        () -> MODEL.step(X1, put("x", 2), ok()).orElseThrow().put("x", 5));
    assertEquals(Map.of("x", 1), X1);
  }

  @Test
  void nullKeysAndValuesAreRefused() {
    assertThrows(NullPointerException.class, () -> get(null));
    assertThrows(NullPointerException.class, () -> put("x", null));
    assertThrows(NullPointerException.class, () -> cas("x", null, 1));
    assertThrows(NullPointerException.class, () -> found(null));
  }
}

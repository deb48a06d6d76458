package io.stepraft.raft.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightsTest {

  @Test
  void constructorRejectsBadLimits() {
    assertThrows(IllegalArgumentException.class, () -> new Inflights(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Inflights(1, -1));
  }

  @Test
  void newWindowIsEmptyAndAllocatesNothing() {
    Inflights in = new Inflights(256, 0);
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
    assertFalse(in.full());
    assertEquals(0, in.bufferLength());
    assertEquals(256, in.capacity());
    assertEquals(0, in.maxBytes());
  }

  @Test
  void addCountsMessagesAndBytes() {
    Inflights in = new Inflights(10, 0);
    in.add(1, 100);
    in.add(3, 50);
    assertEquals(2, in.count());
    assertEquals(150, in.bytes());
  }

  @Test
  void fullWhenCountReachesCapacity() {
    Inflights in = new Inflights(3, 0);
    in.add(1, 1);
    in.add(2, 1);
    assertFalse(in.full());
    in.add(3, 1);
    assertTrue(in.full());
  }

  @Test
  void fullWhenBytesReachMaxBytes() {
    Inflights in = new Inflights(10, 100);
    in.add(1, 60);
    assertFalse(in.full());
    in.add(2, 40);
    assertTrue(in.full());
    in.freeLE(1);
    assertFalse(in.full());
  }

  @Test
  void oneMessageLargerThanMaxBytesIsAllowedWhenEmpty() {
    Inflights in = new Inflights(10, 100);
    in.add(1, 1_000);
    assertTrue(in.full());
    assertEquals(1_000, in.bytes());
  }

  @Test
  void zeroMaxBytesMeansNoByteLimit() {
    Inflights in = new Inflights(2, 0);
    in.add(1, Long.MAX_VALUE / 4);
    assertFalse(in.full());
  }

  @Test
  void addToAFullWindowFailsWithTheNumbers() {
    Inflights in = new Inflights(1, 0);
    in.add(5, 10);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.add(6, 10));
    assertTrue(e.getMessage().contains("count=1/1"), e.getMessage());
  }

  @Test
  void addMustIncreaseTheIndex() {
    Inflights in = new Inflights(10, 0);
    in.add(5, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.add(5, 1));
    assertTrue(e.getMessage().contains("5"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> in.add(4, 1));
  }

  @Test
  void addMustIncreaseTheIndexEvenAfterEverythingWasFreed() {
    Inflights in = new Inflights(10, 0);
    in.add(5, 1);
    in.freeLE(5);
    assertThrows(IllegalStateException.class, () -> in.add(5, 1));
    in.add(6, 1);
    assertEquals(1, in.count());
  }

  @Test
  void addRejectsNegativeBytes() {
    assertThrows(IllegalArgumentException.class, () -> new Inflights(2, 0).add(1, -1));
  }

  @Test
  void freeLeFreesEveryInflightUpToAndIncludingTheIndex() {
    Inflights in = new Inflights(10, 0);
    for (int i = 1; i <= 5; i++) {
      in.add(i * 2, i);
    }
    in.freeLE(5);
    assertEquals(3, in.count());
    assertEquals(3 + 4 + 5, in.bytes());
    in.freeLE(6);
    assertEquals(2, in.count());
    assertEquals(9, in.bytes());
  }

  @Test
  void freeLeBelowTheOldestIsANoOp() {
    Inflights in = new Inflights(10, 0);
    in.add(5, 7);
    in.freeLE(4);
    assertEquals(1, in.count());
    assertEquals(7, in.bytes());
    new Inflights(3, 0).freeLE(100);
  }

  @Test
  void freeLeOfEverythingEmptiesTheWindow() {
    Inflights in = new Inflights(4, 0);
    in.add(1, 10);
    in.add(2, 20);
    in.freeLE(Long.MAX_VALUE);
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
    assertFalse(in.full());
  }

  @Test
  void ringWrapsAroundAtTheEndOfTheBuffer() {
    Inflights in = new Inflights(4, 0);
    for (int i = 1; i <= 4; i++) {
      in.add(i, i);
    }
    in.freeLE(2);
    in.add(5, 5);
    in.add(6, 6);
    assertTrue(in.full());
    assertEquals(4, in.bufferLength());
    assertEquals(3 + 4 + 5 + 6, in.bytes());
    in.freeLE(5);
    assertEquals(1, in.count());
    assertEquals(6, in.bytes());
    in.freeLE(6);
    assertEquals(0, in.bytes());
  }

  @Test
  void bufferGrowsByDoublingUpToCapacity() {
    Inflights in = new Inflights(10, 0);
    in.add(1, 0);
    assertEquals(4, in.bufferLength());
    for (int i = 2; i <= 5; i++) {
      in.add(i, 0);
    }
    assertEquals(8, in.bufferLength());
    for (int i = 6; i <= 10; i++) {
      in.add(i, 0);
    }
    assertEquals(10, in.bufferLength());
    assertTrue(in.full());
  }

  @Test
  void growingAWrappedRingKeepsTheOrder() {
    Inflights in = new Inflights(16, 0);
    for (int i = 1; i <= 4; i++) {
      in.add(i, i);
    }
    in.freeLE(2);
    in.add(5, 5);
    in.add(6, 6); // wrapped: slots hold 5 6 3 4
    in.add(7, 7); // grows
    assertEquals(8, in.bufferLength());
    in.freeLE(4);
    assertEquals(3, in.count());
    assertEquals(5 + 6 + 7, in.bytes());
    in.freeLE(6);
    assertEquals(7, in.bytes());
  }

  @Test
  void resetEmptiesTheWindowAndAllowsLowerIndexes() {
    Inflights in = new Inflights(4, 100);
    in.add(10, 60);
    in.add(11, 60);
    in.reset();
    assertEquals(0, in.count());
    assertEquals(0, in.bytes());
    assertFalse(in.full());
    in.add(3, 1);
    assertEquals(1, in.count());
  }

  @Test
  void copyIsIndependent() {
    Inflights in = new Inflights(4, 0);
    in.add(1, 10);
    Inflights copy = in.copy();
    in.add(2, 20);
    copy.freeLE(1);
    assertEquals(2, in.count());
    assertEquals(30, in.bytes());
    assertEquals(0, copy.count());
    assertEquals(0, copy.bytes());
    assertThrows(IllegalStateException.class, () -> copy.add(1, 1));
  }

  @Test
  void toStringShowsCountAndBytesAgainstLimits() {
    Inflights in = new Inflights(256, 0);
    in.add(1, 300);
    assertEquals("inflights{count=1/256 bytes=300/0}", in.toString());
  }
}

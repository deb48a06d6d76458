package io.stepraft.raft.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Drives an {@link Inflights} and a naive deque model with the same random adds, frees and resets,
 * and checks after every operation that count, bytes and fullness agree: the byte counter never
 * leaks.
 */
class InflightsPropertyTest {
  private static final long SEED = 0x1f1_9817L;
  private static final int RUNS = 2_000;
  private static final int OPS = 200;

  @Test
  void countBytesAndFullnessMatchADequeModel() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int run = 0; run < RUNS; run++) {
      int capacity = random.nextInt(1, 20);
      long maxBytes = random.nextBoolean() ? 0 : random.nextLong(1, 500);
      Inflights in = new Inflights(capacity, maxBytes);
      Model model = new Model(capacity, maxBytes);
      StringBuilder trace =
          new StringBuilder(
              "seed " + SEED + " run " + run + " cap " + capacity + " maxBytes " + maxBytes + ":");
      for (int op = 0; op < OPS; op++) {
        step(random, in, model, trace);
        String context = trace.toString();
        assertEquals(model.count(), in.count(), context);
        assertEquals(model.bytes, in.bytes(), context);
        assertEquals(model.full(), in.full(), context);
      }
      in.freeLE(Long.MAX_VALUE);
      assertEquals(0, in.bytes(), trace.toString());
    }
  }

  private static void step(
      SplittableRandom random, Inflights in, Model model, StringBuilder trace) {
    int pick = random.nextInt(10);
    if (pick < 6) {
      long index = model.last + random.nextLong(1, 4);
      long bytes = random.nextLong(0, 120);
      trace.append(" add(").append(index).append(',').append(bytes).append(')');
      if (model.full()) {
        assertThrows(IllegalStateException.class, () -> in.add(index, bytes), trace.toString());
      } else {
        in.add(index, bytes);
        model.add(index, bytes);
      }
    } else if (pick < 9) {
      long to = model.first() + random.nextLong(-2, 6);
      trace.append(" freeLE(").append(to).append(')');
      in.freeLE(to);
      model.freeLE(to);
    } else {
      trace.append(" reset");
      in.reset();
      model.reset();
    }
  }

  /** The obvious implementation: a deque of (index, bytes). */
  private static final class Model {
    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    private long bytes;
    private long last;

    Model(int capacity, long maxBytes) {
      this.capacity = capacity;
      this.maxBytes = maxBytes;
    }

    int count() {
      return queue.size();
    }

    boolean full() {
      return queue.size() == capacity || (maxBytes != 0 && bytes >= maxBytes);
    }

    long first() {
      return queue.isEmpty() ? last : queue.peekFirst()[0];
    }

    void add(long index, long size) {
      queue.addLast(new long[] {index, size});
      bytes += size;
      last = index;
    }

    void freeLE(long to) {
      while (!queue.isEmpty() && queue.peekFirst()[0] <= to) {
        bytes -= queue.pollFirst()[1];
      }
    }

    void reset() {
      queue.clear();
      bytes = 0;
      last = last / 2; // after a reset, lower indexes are allowed again
    }
  }
}

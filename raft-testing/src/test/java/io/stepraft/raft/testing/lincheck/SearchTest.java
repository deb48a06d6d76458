package io.stepraft.raft.testing.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The search's internals that the checker relies on for more than a verdict. */
class SearchTest {
  private static final int HISTORIES = 3000;

  @Test
  void theOperationsAFailedSearchReachedAreNotLinearizableEither() {
    var histories = new RandomHistories<>(Kv.MODEL, RandomHistories.kv(1));
    SplittableRandom random = new SplittableRandom(11);
    int cut = 0;
    for (int i = 0; i < HISTORIES; i++) {
      var ops = histories.random(random, 1 + random.nextInt(8));
      var search = Search.ran(Kv.MODEL, ops, Meter.start(Budget.unlimited()));
      if (search.verdict() == Search.Verdict.NOT_LINEARIZABLE) {
        var reached = search.reached();
        assertFalse(BruteForce.linearizable(Kv.MODEL, reached), () -> "reached " + reached);
        cut += ops.size() - reached.size();
      }
    }
    assertTrue(cut > HISTORIES / 10, "operations cut: " + cut); // the cut does cut
  }

  @Test
  void memoKeysAreEqualExactlyForEqualSetsAndStates() {
    SplittableRandom random = new SplittableRandom(12);
    int n = 200;
    for (int round = 0; round < 1000; round++) {
      Set<Integer> a = randomSet(random, n);
      Set<Integer> b = random.nextBoolean() ? new HashSet<>(a) : randomSet(random, n);
      LinearizedSet first = setOf(n, a);
      LinearizedSet second = setOf(n, b);
      if (a.equals(b)) {
        assertEquals(first.key("s"), second.key("s"));
        assertEquals(first.key("s").hashCode(), second.key("s").hashCode());
        assertNotEquals(first.key("s"), second.key("t"));
      } else {
        assertNotEquals(first.key("s"), second.key("s"), a + " vs " + b);
      }
    }
  }

  /** A prefix of 0 to n operations, plus a few beyond it, as linearized sets mostly are. */
  private static Set<Integer> randomSet(SplittableRandom random, int n) {
    Set<Integer> set = new HashSet<>();
    int prefix = random.nextInt(n + 1);
    for (int i = 0; i < prefix; i++) {
      set.add(i);
    }
    for (int extra = random.nextInt(4); extra > 0; extra--) {
      set.add(random.nextInt(n));
    }
    return set;
  }

  /** Builds the set by adding everything and removing what is not in it, as the search does. */
  private static LinearizedSet setOf(int n, Set<Integer> members) {
    LinearizedSet set = new LinearizedSet(n);
    for (int op = 0; op < n; op++) {
      set.add(op);
    }
    for (int op : List.copyOf(new HashSet<>(allBut(n, members)))) {
      set.remove(op);
    }
    return set;
  }

  private static Set<Integer> allBut(int n, Set<Integer> members) {
    Set<Integer> rest = new HashSet<>();
    for (int op = 0; op < n; op++) {
      if (!members.contains(op)) {
        rest.add(op);
      }
    }
    return rest;
  }
}

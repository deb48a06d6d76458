package io.stepraft.raft.testing.lincheck;

import java.util.Arrays;

/**
 * The set of operations linearized so far, as a bitset over the operations in invocation order,
 * with a hash kept up to date on every change (each operation XORs in and out a fixed
 * random-looking 64-bit value).
 *
 * <p>A memo key stores only the words between the first that is not full and the last that is not
 * empty: linearized sets are mostly a run of early operations plus a few that overlap the frontier,
 * so a key costs a word or two however long the history.
 */
final class LinearizedSet {
  private final long[] words;
  private long hash;

  LinearizedSet(int operationCount) {
    words = new long[(operationCount + 63) >>> 6];
  }

  void add(int op) {
    words[op >>> 6] |= 1L << op;
    hash ^= mix(op);
  }

  void remove(int op) {
    words[op >>> 6] &= ~(1L << op);
    hash ^= mix(op);
  }

  /** The memo key for this set together with a model state. */
  Key key(Object state) {
    int low = 0;
    while (low < words.length && words[low] == -1L) {
      low++;
    }
    int high = words.length - 1;
    while (high >= low && words[high] == 0) {
      high--;
    }
    return new Key(low, Arrays.copyOfRange(words, low, high + 1), hash, state);
  }

  /** SplitMix64's finalizer: a fixed, well-spread value per operation. */
  private static long mix(int op) {
    long z = (op + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * An explored pair (linearized set, state). The set is the words before {@code fullWords} all
   * ones, then {@code middle}, then zeros: one set has one such form.
   */
  static final class Key {
    private final int fullWords;
    private final long[] middle;
    private final Object state;
    private final int hash;

    private Key(int fullWords, long[] middle, long setHash, Object state) {
      this.fullWords = fullWords;
      this.middle = middle;
      this.state = state;
      this.hash = Long.hashCode(setHash) * 31 + state.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other
          && hash == other.hash
          && fullWords == other.fullWords
          && Arrays.equals(middle, other.middle)
          && state.equals(other.state);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}

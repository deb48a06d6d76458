package io.stepraft.raft.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable set of voters that decides by simple majority: {@code n/2 + 1} of {@code n}.
 *
 * <p>Not thread-safe: {@link #committedIndex} sorts into a scratch buffer owned by the instance so
 * that it does not allocate. Share an instance only between code running on one thread (the {@link
 * #EMPTY} instance has no voters and therefore no scratch state, so it is safe to share).
 */
public final class MajorityConfig {
  /** The configuration without voters; it agrees to everything (see {@link #committedIndex}). */
  public static final MajorityConfig EMPTY = new MajorityConfig(new long[0]);

  /** The voter ids. Invariant: strictly ascending (sorted, no duplicates). */
  private final long[] ids;

  /** Scratch space for {@link #committedIndex}; same length as {@link #ids}. */
  private final long[] scratch;

  private MajorityConfig(long[] sortedDistinctIds) {
    this.ids = sortedDistinctIds;
    this.scratch = new long[sortedDistinctIds.length];
  }

  /**
   * Returns the configuration with the given voters; duplicates count once.
   *
   * @param ids the voter ids, in any order
   * @return the configuration ({@link #EMPTY} when no ids are given)
   */
  public static MajorityConfig of(long... ids) {
    if (ids == null) {
      throw new IllegalArgumentException("ids is null");
    }
    if (ids.length == 0) {
      return EMPTY;
    }
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    return new MajorityConfig(dropDuplicates(sorted));
  }

  /**
   * Returns the configuration with the given voters; duplicates count once.
   *
   * @param ids the voter ids, in any order, none of them null
   * @return the configuration ({@link #EMPTY} when the collection is empty)
   */
  public static MajorityConfig of(Collection<Long> ids) {
    if (ids == null) {
      throw new IllegalArgumentException("ids is null");
    }
    long[] raw = new long[ids.size()];
    int i = 0;
    for (Long id : ids) {
      if (id == null) {
        throw new IllegalArgumentException("null voter id in " + ids);
      }
      raw[i++] = id;
    }
    return of(raw);
  }

  private static long[] dropDuplicates(long[] sorted) {
    int kept = 1;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] != sorted[kept - 1]) {
        sorted[kept++] = sorted[i];
      }
    }
    return kept == sorted.length ? sorted : Arrays.copyOf(sorted, kept);
  }

  /**
   * Returns the number of voters.
   *
   * @return the number of voters
   */
  public int size() {
    return ids.length;
  }

  /**
   * Tells whether the configuration has no voters.
   *
   * @return true when there are no voters
   */
  public boolean isEmpty() {
    return ids.length == 0;
  }

  /**
   * Returns how many yes votes (or acknowledgements) make a majority: {@code size()/2 + 1}, or 0
   * for the empty configuration.
   *
   * @return the quorum size
   */
  public int quorum() {
    return ids.length == 0 ? 0 : ids.length / 2 + 1;
  }

  /**
   * Tells whether {@code id} is a voter.
   *
   * @param id a node id
   * @return true when {@code id} is a voter of this configuration
   */
  public boolean contains(long id) {
    return Arrays.binarySearch(ids, id) >= 0;
  }

  /**
   * Returns the voter ids.
   *
   * @return a new array with the voter ids in ascending order
   */
  public long[] ids() {
    return ids.clone();
  }

  /**
   * Returns one voter id without copying the ids, for allocation-free iteration.
   *
   * @param position the rank of the voter in ascending id order, {@code 0 <= position < size()}
   * @return the voter id at that position
   */
  public long idAt(int position) {
    if (position < 0 || position >= ids.length) {
      throw new IllegalArgumentException(
          "position " + position + " not in [0, " + ids.length + ")");
    }
    return ids[position];
  }

  /**
   * Returns the voter ids as a set.
   *
   * @return a new, modifiable set with the voter ids
   */
  public SortedSet<Long> idSet() {
    SortedSet<Long> set = new TreeSet<>();
    for (long id : ids) {
      set.add(id);
    }
    return set;
  }

  /**
   * Returns the largest index that a majority of the voters has acknowledged: with {@code n}
   * voters, the {@code (n/2+1)}-th largest acknowledged index. A voter the indexer knows nothing
   * about counts as having acknowledged 0. Does not allocate.
   *
   * @param acked where to look up each voter's acknowledged index
   * @return the committed index, or {@link Long#MAX_VALUE} when there are no voters, so that an
   *     empty half of a joint configuration never holds the other half back
   * @throws IllegalStateException if the indexer returns a negative index
   */
  public long committedIndex(AckedIndexer acked) {
    int n = ids.length;
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    long[] sorted = scratch;
    for (int i = 0; i < n; i++) {
      long index = acked.ackedIndex(ids[i]);
      if (index < 0) {
        throw new IllegalStateException(
            "voter " + ids[i] + " acknowledged negative index " + index);
      }
      int j = i;
      while (j > 0 && sorted[j - 1] > index) {
        sorted[j] = sorted[j - 1];
        j--;
      }
      sorted[j] = index;
    }
    // Ascending order: the quorum-th largest value sits at n - quorum.
    return sorted[n - quorum()];
  }

  /**
   * Counts the votes of this configuration's voters. Votes of other nodes are ignored; a voter
   * without an entry in {@code votes} has not answered yet.
   *
   * @param votes granted (true) or rejected (false) per node id
   * @return {@link VoteResult#WON} when a majority granted (always, for the empty configuration),
   *     {@link VoteResult#PENDING} when the voters that have not answered could still make a
   *     majority, {@link VoteResult#LOST} otherwise
   */
  public VoteResult voteResult(Map<Long, Boolean> votes) {
    if (ids.length == 0) {
      return VoteResult.WON;
    }
    int granted = 0;
    int missing = 0;
    for (long id : ids) {
      Boolean vote = votes.get(id);
      if (vote == null) {
        missing++;
      } else if (vote) {
        granted++;
      }
    }
    int quorum = quorum();
    if (granted >= quorum) {
      return VoteResult.WON;
    }
    return granted + missing >= quorum ? VoteResult.PENDING : VoteResult.LOST;
  }

  /**
   * Renders a small table, one line per voter, that shows where each voter's acknowledged index
   * stands relative to the others. Meant for debugging and test output.
   *
   * @param acked where to look up each voter's acknowledged index
   * @return the table, lines separated by {@code '\n'}
   */
  public String describe(AckedIndexer acked) {
    return MajorityDescriber.describe(this, acked);
  }

  /**
   * Tells whether {@code other} is a majority configuration with the same voters.
   *
   * @param other any object
   * @return true when both have the same voters
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof MajorityConfig && Arrays.equals(ids, ((MajorityConfig) other).ids);
  }

  /**
   * Returns a hash of the voter ids.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  /**
   * Returns the voters in ascending order, space separated and in parentheses: {@code (1 2 3)}.
   *
   * @return the voters
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('(');
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(ids[i]);
    }
    return sb.append(')').toString();
  }
}

package io.stepraft.raft.quorum;

import java.util.Map;
import java.util.SortedSet;

/**
 * Two majority configurations, the incoming and the outgoing one, that must both agree on every
 * decision while a membership change is in progress. When no change is in progress the outgoing
 * configuration is {@link MajorityConfig#EMPTY}, which agrees to everything, and the joint
 * configuration behaves exactly like the incoming one.
 *
 * <p>Immutable, but not thread-safe for the same reason as {@link MajorityConfig}.
 */
public final class JointConfig {
  /** A joint configuration without any voter. */
  public static final JointConfig EMPTY =
      new JointConfig(MajorityConfig.EMPTY, MajorityConfig.EMPTY);

  private final MajorityConfig incoming;
  private final MajorityConfig outgoing;

  /**
   * Creates a joint configuration.
   *
   * @param incoming the configuration being moved to (or the only one)
   * @param outgoing the configuration being left, or {@link MajorityConfig#EMPTY}
   */
  public JointConfig(MajorityConfig incoming, MajorityConfig outgoing) {
    if (incoming == null || outgoing == null) {
      throw new IllegalArgumentException(
          "incoming " + incoming + " and outgoing " + outgoing + " must not be null");
    }
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  /**
   * Returns the incoming configuration.
   *
   * @return the incoming (current) voters
   */
  public MajorityConfig incoming() {
    return incoming;
  }

  /**
   * Returns the outgoing configuration.
   *
   * @return the outgoing voters, {@link MajorityConfig#EMPTY} when not joint
   */
  public MajorityConfig outgoing() {
    return outgoing;
  }

  /**
   * Tells whether a membership change is in progress.
   *
   * @return true when the outgoing configuration has voters
   */
  public boolean isJoint() {
    return !outgoing.isEmpty();
  }

  /**
   * Returns every voter of either half.
   *
   * @return a new, modifiable set with the union of both halves
   */
  public SortedSet<Long> ids() {
    SortedSet<Long> ids = incoming.idSet();
    ids.addAll(outgoing.idSet());
    return ids;
  }

  /**
   * Tells whether {@code id} is a voter in either half.
   *
   * @param id a node id
   * @return true when {@code id} votes in the incoming or the outgoing configuration
   */
  public boolean contains(long id) {
    return incoming.contains(id) || outgoing.contains(id);
  }

  /**
   * Returns the largest index acknowledged by a majority of each half: the smaller of the two
   * halves' committed indexes. Does not allocate.
   *
   * @param acked where to look up each voter's acknowledged index
   * @return the committed index, {@link Long#MAX_VALUE} when both halves are empty
   */
  public long committedIndex(AckedIndexer acked) {
    return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
  }

  /**
   * Counts the votes in both halves.
   *
   * @param votes granted (true) or rejected (false) per node id
   * @return {@link VoteResult#WON} when both halves won, {@link VoteResult#LOST} when either half
   *     lost, {@link VoteResult#PENDING} otherwise
   */
  public VoteResult voteResult(Map<Long, Boolean> votes) {
    VoteResult in = incoming.voteResult(votes);
    VoteResult out = outgoing.voteResult(votes);
    if (in == VoteResult.LOST || out == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    return in == VoteResult.WON && out == VoteResult.WON ? VoteResult.WON : VoteResult.PENDING;
  }

  /**
   * Tells whether {@code other} is a joint configuration with the same halves.
   *
   * @param other any object
   * @return true when both halves are equal
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof JointConfig)) {
      return false;
    }
    JointConfig that = (JointConfig) other;
    return incoming.equals(that.incoming) && outgoing.equals(that.outgoing);
  }

  /**
   * Returns a hash of both halves.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return 31 * incoming.hashCode() + outgoing.hashCode();
  }

  /**
   * Returns {@code (1 2 3)&&(1 2 4)} when joint, else the incoming configuration alone: {@code (1 2
   * 3)}.
   *
   * @return the configuration
   */
  @Override
  public String toString() {
    return isJoint() ? incoming + "&&" + outgoing : incoming.toString();
  }
}

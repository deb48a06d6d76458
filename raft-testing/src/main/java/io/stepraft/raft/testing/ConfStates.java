package io.stepraft.raft.testing;

import io.stepraft.raft.pb.ConfState;

/** Cluster configurations, as a snapshot or {@code MemoryStorage.withConfState} holds them. */
public final class ConfStates {
  private ConfStates() {}

  /**
   * A configuration of these voters.
   *
   * @param ids the voters, in order
   * @return the configuration
   */
  public static ConfState voters(long... ids) {
    ConfState.Builder b = ConfState.newBuilder();
    for (long id : ids) {
      b.addVoters(id);
    }
    return b.build();
  }

  /**
   * {@code cs} with these learners added.
   *
   * @param cs the configuration to extend
   * @param ids the learners, in order
   * @return the configuration
   */
  public static ConfState withLearners(ConfState cs, long... ids) {
    ConfState.Builder b = cs.toBuilder();
    for (long id : ids) {
      b.addLearners(id);
    }
    return b.build();
  }

  /**
   * The joint configuration that moves from {@code outgoing}'s voters to {@code incoming}: the
   * voters (and learners) of {@code incoming}, with {@code outgoing}'s voters as the outgoing
   * voters.
   *
   * @param incoming the configuration being entered
   * @param outgoing the configuration being left; only its voters count
   * @return the joint configuration
   */
  public static ConfState joint(ConfState incoming, ConfState outgoing) {
    return incoming.toBuilder().addAllVotersOutgoing(outgoing.getVotersList()).build();
  }
}

package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;

/**
 * What a node's thread publishes for other threads after each Ready: enough to find the leader and
 * to wait for progress without a round trip to the node.
 *
 * @param id the node
 * @param role its role
 * @param term its term
 * @param lead the leader it knows, or 0
 * @param commit its commit index
 * @param applied the index its state machine has applied
 * @param conf the configuration as of {@code applied}
 */
record NodeView(
    long id, Role role, long term, long lead, long commit, long applied, ConfState conf) {
  @Override
  public String toString() {
    return id + ": " + role + " term " + term + " lead " + lead + " applied " + applied;
  }
}

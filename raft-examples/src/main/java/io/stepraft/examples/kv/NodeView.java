package io.stepraft.examples.kv;

import io.stepraft.raft.Role;

/**
 * What the raft thread last published about its node, for readers on other threads (health,
 * metrics). Immutable; replaced after every loop iteration.
 *
 * @param id the node's id
 * @param role its role
 * @param lead the leader it knows, or 0
 * @param term its term
 * @param commit its commit index
 * @param applied its applied index
 * @param member whether it is a voter or learner in its current configuration
 * @param loopNanos {@link System#nanoTime()} of the iteration that published this view
 * @param running whether the loop is running (false once stopped or failed)
 */
record NodeView(
    long id,
    Role role,
    long lead,
    long term,
    long commit,
    long applied,
    boolean member,
    long loopNanos,
    boolean running) {

  static NodeView starting(long id) {
    return new NodeView(id, Role.FOLLOWER, 0, 0, 0, 0, false, System.nanoTime(), false);
  }
}

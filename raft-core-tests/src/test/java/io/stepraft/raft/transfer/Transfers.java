package io.stepraft.raft.transfer;

import io.stepraft.raft.testing.StepCluster;

/** Small queries for the transfer scenarios. */
final class Transfers {
  private Transfers() {}

  /** The leader's transfer target as reported by its status, 0 when none. */
  static long transferee(StepCluster c, long id) {
    return c.node(id).raw().basicStatus().leadTransferee();
  }
}

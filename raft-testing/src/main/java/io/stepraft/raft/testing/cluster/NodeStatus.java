package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.Status;

/**
 * One node's state, taken on its thread by {@link LocalCluster#status(long)}.
 *
 * @param raft raft's own status: role, term, commit, configuration, and per-peer progress on the
 *     leader
 * @param appliedIndex the last index applied to the state machine
 * @param snapshotIndex the index of the node's latest snapshot, taken or received; 0 when none
 * @param firstIndex the first index its log still holds (compaction moves it up)
 * @param lastIndex the last index its log holds
 */
public record NodeStatus(
    Status raft, long appliedIndex, long snapshotIndex, long firstIndex, long lastIndex) {

  /** The node's id. */
  public long id() {
    return raft.id();
  }

  /** The node's commit index. */
  public long commitIndex() {
    return raft.basic().hardState().getCommit();
  }
}

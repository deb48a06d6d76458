package io.stepraft.raft;

/**
 * The outcome of sending a snapshot to a follower, reported with {@link RawNode#reportSnapshot}.
 */
public enum SnapshotStatus {
  /** The follower received the whole snapshot. */
  FINISH,
  /** Sending failed; the leader will probe the follower again. */
  FAILURE
}

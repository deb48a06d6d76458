package io.stepraft.raft.quorum;

/** The outcome of counting votes against a configuration. */
public enum VoteResult {
  /** Neither a win nor a loss is decided yet: enough voters have not answered. */
  PENDING,
  /** A quorum can no longer be reached, whatever the missing voters answer. */
  LOST,
  /** A quorum granted the vote. */
  WON
}

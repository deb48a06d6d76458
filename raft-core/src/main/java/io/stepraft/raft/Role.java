package io.stepraft.raft;

/** The role a node plays in its current term. */
public enum Role {
  /** Follows a leader, or waits for one. */
  FOLLOWER,
  /** Asks whether a quorum would vote for it, without raising its term (PreVote). */
  PRE_CANDIDATE,
  /** Has raised its term and asks for votes. */
  CANDIDATE,
  /** Accepts proposals and replicates the log. */
  LEADER
}

package io.stepraft.raft;

/** How the leader confirms it still leads before answering a {@link RawNode#readIndex} request. */
public enum ReadOnlyOption {
  /** A round of heartbeats acknowledged by a quorum confirms leadership. Always safe. */
  SAFE,
  /**
   * The leader trusts its lease: it answers from its commit index without a round trip. Needs
   * {@link Config.Builder#checkQuorum(boolean) checkQuorum} and relies on bounded clock drift
   * between nodes; a leader may serve a stale read if clocks run at very different rates.
   */
  LEASE_BASED
}

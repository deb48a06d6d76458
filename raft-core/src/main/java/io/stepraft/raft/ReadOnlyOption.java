package io.stepraft.raft;

/** How the leader confirms it still leads before answering a {@link RawNode#readIndex} request. */
public enum ReadOnlyOption {
  /** A round of heartbeats acknowledged by a quorum confirms leadership. Always safe. */
  SAFE,
  /**
   * The leader trusts its lease: it answers from its commit index without a round trip, as long as
   * a quorum of voters answered it since its last quorum check and no leadership transfer is under
   * way; otherwise it confirms with a heartbeat round, as with {@link #SAFE}. Needs {@link
   * Config.Builder#checkQuorum(boolean) checkQuorum} and relies on bounded clock drift between
   * nodes and message delays well below the election timeout; a leader may serve a stale read if
   * clocks run at very different rates.
   */
  LEASE_BASED
}

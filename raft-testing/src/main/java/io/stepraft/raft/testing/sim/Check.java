package io.stepraft.raft.testing.sim;

/** The properties the simulator checks. A {@link Violation} names the one that failed. */
public enum Check {
  /** At most one leader per term. */
  ELECTION_SAFETY,
  /** A node grants at most one vote per term: its durable votes and the grants it sends agree. */
  SINGLE_VOTE,
  /** Entries with equal index and term hold equal data and follow equal prefixes. */
  LOG_MATCHING,
  /** A leader's log holds every entry known to be committed in an earlier term. */
  LEADER_COMPLETENESS,
  /**
   * No two nodes apply different entries at the same index; snapshots match the applied history.
   */
  STATE_MACHINE_SAFETY,
  /** A node applies each index once and in order. */
  APPLY_ORDER,
  /**
   * An acknowledged write is durably held by enough nodes that no quorum can lose it, is never
   * overwritten on a disk, and is in the final log.
   */
  DURABILITY,
  /**
   * A node's commit index never decreases, nor falls below what its disk synced across a restart.
   */
  COMMIT_MONOTONICITY,
  /** {@code applied <= committed <= lastIndex} on every node. */
  COMMIT_BOUNDS,
  /** A ReadIndex result is never older than a write that completed before the read began. */
  READ_INDEX,
  /**
   * The history of client operations (writes acknowledged with their outputs, reads served from a
   * state machine) is linearizable under the application's model.
   */
  LINEARIZABILITY,
  /**
   * Once faults stop, a leader is elected and every pending proposal resolves within bounded ticks.
   */
  LIVENESS,
  /**
   * The storage under test ({@link SimOptions#storage}) restarted a node with what no crash leaves:
   * a synced write lost, a write invented or reordered, damage opened over without a refusal, or an
   * open that failed after a plain crash.
   */
  STORAGE,
  /** The core threw an unexpected exception: an invariant it checks itself broke. */
  CORE_INVARIANT,
  /**
   * The simulated host, its clients or the application under test threw: a bug in the test or in
   * the application. Always enabled.
   */
  HOST_EXCEPTION
}

package io.stepraft.raft.testing.sim;

/**
 * Deliberate bugs in the simulated host, disk or network. Each exists to show that a checker fires:
 * a checker that has never failed has not been shown to work. The core is never changed.
 */
public enum PlantedBug {
  /** No bug. */
  NONE,
  /** The host sends a Ready's messages before it fsyncs the Ready's writes. */
  SEND_BEFORE_PERSIST,
  /** fsync returns before the data is durable: the last few synced writes are lost on a crash. */
  DISK_LIES,
  /** The host persists the hard state without the vote, so a restarted node may vote twice. */
  FORGET_VOTE,
  /** The network answers every MsgVote with a forged grant from its recipient. */
  FORGE_VOTE,
  /** The host applies entries to its state machine as soon as they are persisted, before commit. */
  APPLY_UNCOMMITTED,
  /** After a restart the host re-applies entries its durable state machine already applied. */
  APPLY_TWICE,
  /** The host answers reads from its local state machine without ReadIndex. */
  STALE_READ,
  /** The network alters the payload of some entries in MsgApp. */
  CORRUPT_ENTRY,
  /** The network drops every MsgVote and MsgPreVote, so no leader is ever elected. */
  DROP_VOTES,
  /** After a restart the disk returns an older hard state than the last one it synced. */
  ROLLBACK_HARD_STATE
}

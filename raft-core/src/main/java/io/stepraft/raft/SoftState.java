package io.stepraft.raft;

/**
 * The volatile part of a node's state: who it believes leads and what role it plays. It need not be
 * persisted; {@link Ready#softState()} carries it only when it changed.
 *
 * @param lead the id of the known leader, or {@code 0} when none is known
 * @param role the node's role
 */
public record SoftState(long lead, Role role) {}

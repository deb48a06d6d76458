/**
 * Quorum arithmetic: which index a majority has acknowledged, and whether a majority voted yes.
 *
 * <p>A {@link io.stepraft.raft.quorum.MajorityConfig} is one set of voters; a decision needs {@code
 * n/2 + 1} of them. A {@link io.stepraft.raft.quorum.JointConfig} holds two of them while a
 * membership change is in progress (the incoming and the outgoing configuration); a decision then
 * needs a majority of <em>each</em>, so that no quorum of the old configuration can decide alone
 * while the new one takes over, and the other way round.
 *
 * <p>An empty majority configuration agrees to everything: its committed index is {@link
 * Long#MAX_VALUE} and every vote is won. That is what lets a joint configuration whose outgoing
 * half is empty behave exactly like its incoming half.
 *
 * <p>Everything here is pure: no state beyond the immutable member sets (and a scratch buffer, see
 * {@link io.stepraft.raft.quorum.MajorityConfig}). This package is internal to raft-core.
 */
package io.stepraft.raft.quorum;

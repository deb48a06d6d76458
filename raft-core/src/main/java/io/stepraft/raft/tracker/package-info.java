/**
 * The leader's tracking of its peers: one {@link io.stepraft.raft.tracker.Progress} per peer, with
 * its {@link io.stepraft.raft.tracker.Inflights} window for flow control, and the {@link
 * io.stepraft.raft.tracker.ProgressTracker} that holds them together with the active configuration
 * and the votes of an election.
 *
 * <p>Invariants, checked where the data changes:
 *
 * <ul>
 *   <li>for every progress, {@code 0 <= match < next};
 *   <li>inflight appends are added in increasing index order, never beyond the window's count
 *       capacity or (once reached) its byte limit, and the bytes in flight always equal the sum of
 *       the sizes of the appends in flight;
 *   <li>a learner is never a voter in either half of the joint configuration; a node in
 *       learnersNext is an outgoing voter and not an incoming one; auto-leave is only set while
 *       joint.
 * </ul>
 *
 * <p>Everything here is deterministic: maps are ordered by id. Nothing is thread-safe. This package
 * is internal to raft-core.
 */
package io.stepraft.raft.tracker;

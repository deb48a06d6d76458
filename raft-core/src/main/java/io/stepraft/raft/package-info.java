/**
 * stepraft's Raft state machine.
 *
 * <p>{@link io.stepraft.raft.RawNode} is one Raft node as a pure, deterministic state machine. The
 * host supplies its inputs and carries out its outputs:
 *
 * <ul>
 *   <li>time: call {@link io.stepraft.raft.RawNode#tick()} at a fixed interval;
 *   <li>the network: call {@link io.stepraft.raft.RawNode#step} for each message received;
 *   <li>the application: {@link io.stepraft.raft.RawNode#propose(byte[])}, {@link
 *       io.stepraft.raft.RawNode#readIndex(byte[])}, configuration changes, leader transfer.
 * </ul>
 *
 * <p>Whenever {@link io.stepraft.raft.RawNode#hasReady()} is true, take a {@link
 * io.stepraft.raft.Ready} and handle it in this order:
 *
 * <ol>
 *   <li>persist the snapshot, the entries and the hard state, durably if {@link
 *       io.stepraft.raft.Ready#mustSync()}, and write them to the {@link io.stepraft.raft.Storage}
 *       the node reads;
 *   <li>send the messages: they may acknowledge what was just persisted, so never before;
 *   <li>apply the snapshot and the committed entries, calling {@link
 *       io.stepraft.raft.RawNode#applyConfChange(io.stepraft.raft.pb.ConfChangeV2)} for
 *       configuration changes (decoded with {@link io.stepraft.raft.ConfChangeEntry#decode}), and
 *       serve the read states whose index is applied;
 *   <li>call {@link io.stepraft.raft.RawNode#advance(io.stepraft.raft.Ready)}.
 * </ol>
 *
 * <p>Every log entry moves through the stages unstable (in a Ready, not yet persisted), stable
 * (persisted), committed (held by a quorum), applied (handed to the state machine) and compacted
 * (folded into a snapshot). Expected failures are {@link io.stepraft.raft.RaftException}s; a broken
 * invariant is an {@link IllegalStateException} with the numbers involved.
 */
package io.stepraft.raft;

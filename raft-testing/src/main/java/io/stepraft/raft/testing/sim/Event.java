package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.Message;

/**
 * Something scheduled to happen at a logical time. Events of a node carry the node's epoch when
 * scheduled; an event whose epoch is stale (the node crashed, paused or restarted since) is
 * ignored.
 *
 * @param time when, in microticks
 * @param seq the scheduling order, which breaks ties deterministically
 * @param kind what happens
 * @param node the node concerned
 * @param epoch the node's epoch when scheduled (ticks, restarts, resumes), or its work generation
 *     (storage work)
 * @param arg a second node id (the follower of a snapshot report, an unreachable peer)
 * @param ok the outcome of a snapshot report; for a delivery, whether the message was held in its
 *     receiver's queue (it crossed the network already)
 * @param msg the message to deliver
 */
record Event(
    long time, long seq, Kind kind, long node, int epoch, long arg, boolean ok, Message msg) {
  enum Kind {
    TICK,
    DELIVER,
    DRIVER,
    RESTART,
    RESUME,
    SNAP_STATUS,
    UNREACHABLE,
    /**
     * With asynchronous storage writes: the node's append thread does its next MsgStorageAppend.
     */
    APPEND_WORK,
    /** With asynchronous storage writes: the node's apply thread does its next MsgStorageApply. */
    APPLY_WORK,
    /** A host that batches its inputs handles the node's Readies now. */
    READY,
    /** A host that held a written Ready back finishes it now: fsync, send, apply, advance. */
    READY_DONE
  }
}

package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's linearizable reads (ReadIndex, §6.4 of Ongaro's thesis): a read is answered with the
 * commit index it was queued at, once the leader has committed an entry of its term (before that
 * its commit index may lag what an earlier leader committed) and a quorum has confirmed, after the
 * read was queued, that this node still leads. Owned by {@link LeaderRole}; everything here is
 * dropped when the node stops leading.
 */
final class LeaderReads {
  private final Raft r;
  private final LeaderRole leader;
  private final ReadQueue queue;

  /** Reads held back until the leader has committed an entry of its term, oldest first. */
  private final List<Message> awaitingCommit = new ArrayList<>();

  LeaderReads(Raft raft, LeaderRole leader, ReadQueue queue) {
    this.r = raft;
    this.leader = leader;
    this.queue = queue;
  }

  /**
   * A MsgReadIndex, local or forwarded by a follower. Refused when the pending reads are at their
   * bound (a local one with {@link ReadIndexDroppedException}); held back until the leader's first
   * commit of its term; then answered at once (a single voter, or a lease that holds) or queued for
   * a heartbeat round.
   */
  void request(Message m) {
    if (pendingCount() >= r.maxPendingReadIndexRequests) {
      r.logger.warn(
          "{} dropping read index request: {} requests already pending",
          hex(r.id),
          r.maxPendingReadIndexRequests);
      if (isLocal(m)) {
        throw new ReadIndexDroppedException(
            hex(r.id) + " already holds " + r.maxPendingReadIndexRequests + " pending reads");
      }
      return;
    }
    // This holds for a single voter too: after a restart its persisted commit index may lag what
    // it had acknowledged (the commit index alone is not synced).
    if (!committedEntryInCurrentTerm()) {
      awaitingCommit.add(m);
      return;
    }
    confirm(m);
  }

  /** After a commit: releases the held-back reads once the leader has committed in its term. */
  void onCommit() {
    if (awaitingCommit.isEmpty() || !committedEntryInCurrentTerm()) {
      return;
    }
    List<Message> released = new ArrayList<>(awaitingCommit);
    awaitingCommit.clear();
    for (Message m : released) {
      confirm(m);
    }
  }

  /**
   * A heartbeat answer of the leader's term echoing {@code context}: the voter confirms this node's
   * leadership as of that heartbeat; reads a quorum has so confirmed are answered.
   */
  void onHeartbeatResponse(long from, ByteString context) {
    if (context.isEmpty()) {
      return;
    }
    for (ReadQueue.Read read : queue.acknowledge(from, context, r.trk.voters())) {
      respond(read.request(), read.index());
    }
  }

  /** Reads waiting for the first commit of the term or for a heartbeat round. */
  int pendingCount() {
    return awaitingCommit.size() + queue.size();
  }

  /** The context the next heartbeat round carries, or null when no read waits for one. */
  ByteString heartbeatContext() {
    return queue.heartbeatContext();
  }

  /**
   * The node stops leading: every pending read is dropped; local ones are reported to the listener.
   */
  void dropAll() {
    for (Message m : awaitingCommit) {
      reportDropped(m);
    }
    awaitingCommit.clear();
    for (Message m : queue.clear()) {
      reportDropped(m);
    }
  }

  private boolean committedEntryInCurrentTerm() {
    return r.rules.mayAnswerReads(r.raftLog, r.term);
  }

  private void confirm(Message m) {
    long index = r.raftLog.committed();
    if (r.trk.isSingleton()) {
      respond(m, index); // we are the quorum
      return;
    }
    if (r.readOnlyOption == ReadOnlyOption.LEASE_BASED && leader.leaseHolds()) {
      respond(m, index);
      return;
    }
    ByteString context = queue.add(m, index);
    for (ReadQueue.Read read : queue.acknowledge(r.id, context, r.trk.voters())) {
      respond(read.request(), read.index());
    }
    leader.bcastHeartbeat(context);
  }

  private void respond(Message req, long readIndex) {
    if (isLocal(req)) {
      r.readStates.add(new ReadState(readIndex, req.getEntries(0).getData().toByteArray()));
      return;
    }
    r.send(
        Message.newBuilder()
            .setType(MessageType.MsgReadIndexResp)
            .setTo(req.getFrom())
            .setIndex(readIndex)
            .addAllEntries(req.getEntriesList()));
  }

  private void reportDropped(Message m) {
    if (isLocal(m)) {
      r.listener.readIndexDropped(r.id, m.getEntries(0).getData().toByteArray());
    }
  }

  private boolean isLocal(Message m) {
    return m.getFrom() == NONE || m.getFrom() == r.id;
  }
}

package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.quorum.VoteResult;
import io.stepraft.raft.tracker.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a leader does: accept proposals, replicate the log to every follower within its flow
 * control window, count acknowledgements to commit, confirm reads, and hand leadership over.
 */
final class LeaderRole {
  private final Raft r;

  LeaderRole(Raft raft) {
    this.r = raft;
  }

  void step(Message m) {
    switch (m.getType()) {
      case MsgBeat -> bcastHeartbeat();
      case MsgCheckQuorum -> checkQuorum();
      case MsgProp -> propose(m);
      case MsgReadIndex -> readIndex(m);
      case MsgForgetLeader -> { } // a leader knows itself
      default -> stepFromPeer(m);
    }
  }

  private void stepFromPeer(Message m) {
    Progress pr = r.trk.progress(m.getFrom());
    if (pr == null) {
      r.logger.debug("{} no progress available for {}", hex(r.id), hex(m.getFrom()));
      return;
    }
    switch (m.getType()) {
      case MsgAppResp -> handleAppendResponse(m, pr);
      case MsgHeartbeatResp -> handleHeartbeatResponse(m, pr);
      case MsgSnapStatus -> handleSnapshotStatus(m, pr);
      case MsgUnreachable -> {
        // While pipelining, an unreachable follower has most likely lost a MsgApp: probe again.
        if (pr.state() == Progress.State.REPLICATE) {
          pr.becomeProbe();
        }
        r.logger.debug("{} failed to send message to {} because it is unreachable [{}]", hex(r.id),
            hex(m.getFrom()), pr);
      }
      case MsgTransferLeader -> transferLeader(m.getFrom(), pr);
      default -> r.logger.debug("{} leader ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
    }
  }

  // ---------------------------------------------------------------- proposals

  private void propose(Message m) {
    if (m.getEntriesCount() == 0) {
      throw new IllegalStateException(hex(r.id) + " stepped empty MsgProp");
    }
    if (r.trk.progress(r.id) == null) {
      throw new ProposalDroppedException(ProposalDroppedException.Reason.REMOVED_FROM_CONFIGURATION,
          "leader " + hex(r.id) + " is not in the configuration");
    }
    if (r.leadTransferee != NONE) {
      throw new ProposalDroppedException(ProposalDroppedException.Reason.TRANSFER_IN_PROGRESS,
          "leader " + hex(r.id) + " is transferring leadership to " + hex(r.leadTransferee));
    }
    List<Entry> ents = m.getEntriesList();
    List<Entry> checked = null;
    long pending = r.pendingConfIndex;
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (e.getType() == EntryType.EntryNormal) {
        continue;
      }
      String failed = checkConfChange(e, pending);
      if (failed != null && !r.disableConfChangeValidation) {
        r.logger.info("{} ignoring conf change at config {}: {}", hex(r.id), r.trk.voters(), failed);
        if (checked == null) {
          checked = new ArrayList<>(ents);
        }
        checked.set(i, Entry.getDefaultInstance());
      } else {
        pending = r.raftLog.lastIndex() + i + 1;
      }
    }
    if (!appendEntries(checked == null ? ents : checked)) {
      throw new ProposalDroppedException(ProposalDroppedException.Reason.UNCOMMITTED_LIMIT,
          "uncommitted entries of " + r.uncommittedSize + " bytes would exceed the limit of "
              + r.maxUncommittedEntriesSizeBytes + " bytes");
    }
    // Only a change that made it into the log is pending.
    r.pendingConfIndex = pending;
    bcastAppend();
  }

  /** Returns why a proposed configuration change must not go in now, or null if it may. */
  private String checkConfChange(Entry e, long pendingConfIndex) {
    ConfChangeV2 cc;
    try {
      cc = ConfChanges.decode(e);
    } catch (InvalidProtocolBufferException ex) {
      return "undecodable configuration change: " + ex.getMessage();
    }
    boolean alreadyPending = pendingConfIndex > r.raftLog.applied();
    boolean alreadyJoint = r.trk.voters().isJoint();
    boolean wantsLeaveJoint = cc.getChangesCount() == 0;
    if (alreadyPending) {
      return "possible unapplied conf change at index " + pendingConfIndex + " (applied to " + r.raftLog.applied() + ")";
    }
    if (alreadyJoint && !ConfChanges.leavesJoint(cc)) { // an empty change with a joint transition enters
      return "must transition out of joint config first";
    }
    if (!alreadyJoint && wantsLeaveJoint) {
      return "not in joint state; refusing empty conf change";
    }
    return null;
  }

  /**
   * Appends entries of the current term to the log. The leader acknowledges them to itself only
   * once they are durable, through a self-addressed MsgAppResp. Returns false, appending
   * nothing, when the uncommitted size limit would be exceeded.
   */
  boolean appendEntries(List<Entry> ents) {
    if (!r.increaseUncommittedSize(ents)) {
      return false;
    }
    long li = r.raftLog.lastIndex();
    List<Entry> stamped = new ArrayList<>(ents.size());
    for (int i = 0; i < ents.size(); i++) {
      stamped.add(ents.get(i).toBuilder().setTerm(r.term).setIndex(li + 1 + i).build());
    }
    li = r.raftLog.append(stamped);
    r.send(Message.newBuilder().setTo(r.id).setType(MessageType.MsgAppResp).setIndex(li));
    return true;
  }

  /**
   * Proposes the empty ConfChangeV2 that leaves an auto-leave joint configuration, through the
   * ordinary proposal path. Its payload is empty, so the size limit never refuses it; a transfer
   * in progress does, and the leader tries again on the next applied entry or when the transfer
   * is abandoned.
   */
  void proposeAutoLeave() {
    Entry leave = Entry.newBuilder().setType(EntryType.EntryConfChangeV2)
        .setData(ConfChangeV2.getDefaultInstance().toByteString()).build();
    try {
      propose(Message.newBuilder().setType(MessageType.MsgProp).setFrom(r.id).addEntries(leave).build());
      r.logger.info("{} initiating automatic transition out of joint configuration {}", hex(r.id), r.trk.voters());
    } catch (ProposalDroppedException e) {
      r.logger.debug("{} not leaving joint configuration {} now: {}", hex(r.id), r.trk.voters(), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- replication

  void bcastAppend() {
    r.trk.visit((id, pr) -> {
      if (id != r.id) {
        sendAppend(id);
      }
    });
  }

  void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /**
   * Sends the entries the follower needs next, a snapshot when they are compacted, or (if
   * {@code sendIfEmpty}) an empty append carrying the commit index. Returns whether a message
   * was sent.
   */
  boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = r.trk.progress(to);
    if (pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next() - 1;
    long prevTerm;
    List<Entry> ents = List.of();
    try {
      prevTerm = r.raftLog.term(prevIndex);
      // A throttled follower only gets empty appends: they still reach it and are acknowledged
      // or rejected, which frees the window even if every full message in it was lost.
      if (pr.state() != Progress.State.REPLICATE || !pr.inflights().full()) {
        ents = r.raftLog.entries(pr.next(), r.maxSizePerMsgBytes);
      }
    } catch (CompactedException | UnavailableException e) {
      // The entries the follower needs are gone from the log: send a snapshot instead.
      return maybeSendSnapshot(to, pr);
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    long commit = r.raftLog.committed();
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgApp).setIndex(prevIndex)
        .setLogTerm(prevTerm).addAllEntries(ents).setCommit(commit));
    pr.sentEntries(ents.size(), EntrySizes.payloadsSize(ents));
    pr.sentCommit(commit);
    return true;
  }

  private boolean maybeSendSnapshot(long to, Progress pr) {
    if (!pr.recentActive()) {
      r.logger.debug("{} ignore sending snapshot to {} since it is not recently active", hex(r.id), hex(to));
      return false;
    }
    Snapshot snapshot;
    try {
      snapshot = r.raftLog.snapshot();
    } catch (SnapshotTemporarilyUnavailableException e) {
      r.logger.debug("{} failed to send snapshot to {} because snapshot is temporarily unavailable",
          hex(r.id), hex(to));
      return false;
    }
    if (Raft.isEmpty(snapshot)) {
      throw new IllegalStateException(hex(r.id) + " needs a non-empty snapshot for " + hex(to)
          + " (first index " + r.raftLog.firstIndex() + ", follower next " + pr.next() + ")");
    }
    long sIndex = snapshot.getMetadata().getIndex();
    r.logger.debug("{} [firstindex: {}, commit: {}] sent snapshot[index: {}, term: {}] to {} [{}]",
        hex(r.id), r.raftLog.firstIndex(), r.raftLog.committed(), sIndex, snapshot.getMetadata().getTerm(), hex(to), pr);
    pr.becomeSnapshot(sIndex);
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgSnap).setSnapshot(snapshot));
    return true;
  }

  private void handleAppendResponse(Message m, Progress pr) {
    pr.setRecentActive(true);
    if (m.getReject()) {
      handleAppendRejection(m, pr);
      return;
    }
    // A probing follower that confirms its match moves to replication even if match did not
    // grow. In SNAPSHOT the pending snapshot decides (see below).
    boolean confirmedProbe = pr.match() == m.getIndex() && pr.state() == Progress.State.PROBE;
    if (!pr.maybeUpdate(m.getIndex()) && !confirmedProbe) {
      return;
    }
    switch (pr.state()) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        // Whatever index the snapshot was applied at, the follower can continue from the log now.
        if (pr.match() + 1 >= r.raftLog.firstIndex()) {
          r.logger.debug("{} recovered from needing snapshot, resumed sending replication messages to {} [{}]",
              hex(r.id), hex(m.getFrom()), pr);
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights().freeLE(m.getIndex());
    }
    if (maybeCommit()) {
      releasePendingReadIndexMessages();
      bcastAppend();
    } else if (m.getFrom() != r.id && pr.canBumpCommit(r.raftLog.committed())) {
      // The follower may not know the latest commit index yet: tell it now rather than at the
      // next heartbeat.
      sendAppend(m.getFrom());
    }
    if (m.getFrom() != r.id) {
      // The window may have opened for several messages at once.
      while (maybeSendAppend(m.getFrom(), false)) {
        // keep sending
      }
    }
    if (m.getFrom() == r.leadTransferee && pr.match() == r.raftLog.lastIndex()) {
      r.logger.info("{} sent MsgTimeoutNow to {} after received MsgAppResp", hex(r.id), hex(m.getFrom()));
      sendTimeoutNow(m.getFrom());
    }
  }

  private void handleAppendRejection(Message m, Progress pr) {
    r.logger.debug("{} received MsgAppResp(rejected, hint: (index {}, term {})) from {} for index {}",
        hex(r.id), m.getRejectHint(), m.getLogTerm(), hex(m.getFrom()), m.getIndex());
    long nextProbeIdx = m.getRejectHint();
    if (m.getLogTerm() > 0) {
      // The follower's entry at rejectHint has term logTerm. Our entries with a term above
      // logTerm cannot match it, so skip back to our last entry with a term <= logTerm: a whole
      // divergent term is passed over in one round trip instead of one index at a time.
      nextProbeIdx = r.raftLog.findConflictByTerm(m.getRejectHint(), m.getLogTerm());
    }
    if (pr.maybeDecrTo(m.getIndex(), nextProbeIdx)) {
      r.logger.debug("{} decreased progress of {} to [{}]", hex(r.id), hex(m.getFrom()), pr);
      if (pr.state() == Progress.State.REPLICATE) {
        pr.becomeProbe();
      }
      sendAppend(m.getFrom());
    }
  }

  /** Commits the highest index a quorum holds if it is of the current term (§5.4.2). */
  boolean maybeCommit() {
    return r.parts.commitRule().maybeCommit(r.raftLog, r.trk.committed(), r.term);
  }

  // ---------------------------------------------------------------- heartbeats

  void bcastHeartbeat() {
    com.google.protobuf.ByteString ctx = r.readOnly.lastPendingRequestCtx();
    bcastHeartbeatWithCtx(ctx);
  }

  private void bcastHeartbeatWithCtx(com.google.protobuf.ByteString ctx) {
    r.trk.visit((id, pr) -> {
      if (id != r.id) {
        sendHeartbeat(id, pr, ctx);
      }
    });
  }

  private void sendHeartbeat(long to, Progress pr, com.google.protobuf.ByteString ctx) {
    // Never tell a follower to commit past what it is known to hold: its log may be shorter
    // or still diverge from ours beyond its match index.
    long commit = Math.min(pr.match(), r.raftLog.committed());
    Message.Builder b = Message.newBuilder().setTo(to).setType(MessageType.MsgHeartbeat).setCommit(commit);
    if (ctx != null) {
      b.setContext(ctx);
    }
    r.send(b);
    pr.sentCommit(commit);
  }

  private void handleHeartbeatResponse(Message m, Progress pr) {
    pr.setRecentActive(true);
    pr.setMsgAppFlowPaused(false);
    // Even a full window gets an (empty) append now, so a follower whose appends were all lost
    // recovers; a caught-up follower in PROBE (after reportUnreachable, say) gets one so that its
    // answer moves it back to REPLICATE. In SNAPSHOT this sends nothing.
    if (pr.match() < r.raftLog.lastIndex() || pr.state() == Progress.State.PROBE) {
      sendAppend(m.getFrom());
    }
    if (m.getFrom() == r.leadTransferee && pr.match() == r.raftLog.lastIndex()) {
      // The transferee is caught up but still follows us: its MsgTimeoutNow was lost (or came
      // before it could campaign). Send it again until the transfer succeeds or is abandoned.
      sendTimeoutNow(m.getFrom());
    }
    if (m.getContext().isEmpty()) {
      return; // a read round carries a context: with SAFE reads, or a lease read without a lease
    }
    if (r.trk.voters().voteResult(r.readOnly.recvAck(m.getFrom(), m.getContext())) != VoteResult.WON) {
      return;
    }
    for (ReadOnly.ReadIndexStatus rs : r.readOnly.advance(m.getContext())) {
      respondToReadIndex(rs.request(), rs.index());
    }
  }

  private void checkQuorum() {
    if (!r.trk.quorumActive()) {
      r.logger.warn("{} stepped down to follower since quorum is not active", hex(r.id));
      r.becomeFollower(r.term, NONE);
    }
    // Everyone but us starts the next period inactive.
    r.trk.visit((id, pr) -> {
      if (id != r.id) {
        pr.setRecentActive(false);
      }
    });
  }

  // ---------------------------------------------------------------- snapshots

  private void handleSnapshotStatus(Message m, Progress pr) {
    if (pr.state() != Progress.State.SNAPSHOT) {
      return;
    }
    if (!m.getReject()) {
      pr.becomeProbe();
      r.logger.debug("{} snapshot succeeded, resumed sending replication messages to {} [{}]",
          hex(r.id), hex(m.getFrom()), pr);
    } else {
      // Forget the pending snapshot first, or probing would start from an index the follower
      // never got.
      pr.clearPendingSnapshot();
      pr.becomeProbe();
      r.logger.debug("{} snapshot failed, resumed sending replication messages to {} [{}]",
          hex(r.id), hex(m.getFrom()), pr);
    }
    // Wait for the follower's MsgAppResp (success) or a heartbeat interval (failure) before
    // sending the next append.
    pr.setMsgAppFlowPaused(true);
  }

  // ---------------------------------------------------------------- reads

  private void readIndex(Message m) {
    if (r.pendingReadIndexMessages.size() + r.readOnly.pendingCount() >= r.maxPendingReadIndexRequests) {
      r.logger.warn("{} dropping read index request: {} requests already pending", hex(r.id), r.maxPendingReadIndexRequests);
      if (m.getFrom() == NONE || m.getFrom() == r.id) {
        throw new ReadIndexDroppedException(hex(r.id) + " already holds " + r.maxPendingReadIndexRequests + " pending reads");
      }
      return;
    }
    // A new leader does not know the latest commit index until it commits an entry of its own
    // term; reads wait until then. This holds for a single voter too: after a restart its
    // persisted commit index may lag what it had acknowledged (the commit index alone is not
    // synced).
    if (!committedEntryInCurrentTerm()) {
      r.pendingReadIndexMessages.add(m);
      return;
    }
    sendReadIndexResponse(m);
  }

  boolean committedEntryInCurrentTerm() {
    return r.raftLog.termOrZero(r.raftLog.committed()) == r.term;
  }

  private void sendReadIndexResponse(Message m) {
    if (r.trk.isSingleton()) {
      respondToReadIndex(m, r.raftLog.committed()); // we are the quorum
      return;
    }
    if (r.readOnly.option() == ReadOnlyOption.SAFE || !leaseHolds()) {
      com.google.protobuf.ByteString ctx = m.getEntries(0).getData();
      r.readOnly.addRequest(r.raftLog.committed(), m);
      r.readOnly.recvAck(r.id, ctx);
      bcastHeartbeatWithCtx(ctx);
    } else {
      respondToReadIndex(m, r.raftLog.committed());
    }
  }

  /**
   * Whether a lease read may skip the heartbeat round: a quorum answered since the last quorum
   * check, so none of them votes for another candidate before our next check (older activity
   * lets a check pass while the followers' leases expire), and no transfer is under way (its
   * campaign overrides leases).
   */
  private boolean leaseHolds() {
    return r.leadTransferee == NONE && r.trk.quorumActive();
  }

  void releasePendingReadIndexMessages() {
    if (r.pendingReadIndexMessages.isEmpty()) {
      return;
    }
    if (!committedEntryInCurrentTerm()) {
      r.logger.error("{} pending MsgReadIndex should be released only after first commit in current term", hex(r.id));
      return;
    }
    List<Message> pending = new ArrayList<>(r.pendingReadIndexMessages);
    r.pendingReadIndexMessages.clear();
    for (Message m : pending) {
      sendReadIndexResponse(m);
    }
  }

  private void respondToReadIndex(Message req, long readIndex) {
    if (req.getFrom() == NONE || req.getFrom() == r.id) {
      r.readStates.add(new ReadState(readIndex, req.getEntries(0).getData().toByteArray()));
      return;
    }
    r.send(Message.newBuilder().setType(MessageType.MsgReadIndexResp).setTo(req.getFrom())
        .setIndex(readIndex).addAllEntries(req.getEntriesList()));
  }

  // ---------------------------------------------------------------- leadership transfer

  private void transferLeader(long transferee, Progress pr) {
    if (pr.isLearner()) {
      r.logger.debug("{} is learner. Ignored transferring leadership", hex(transferee));
      return;
    }
    if (r.leadTransferee != NONE) {
      if (r.leadTransferee == transferee) {
        r.logger.info("{} [term {}] transfer leadership to {} is in progress, ignores request to same node",
            hex(r.id), r.term, hex(transferee));
        return;
      }
      r.abortLeaderTransfer();
      r.logger.info("{} [term {}] abort previous transferring leadership", hex(r.id), r.term);
    }
    if (transferee == r.id) {
      r.logger.debug("{} is already leader. Ignored transferring leadership to self", hex(r.id));
      return;
    }
    r.logger.info("{} [term {}] starts to transfer leadership to {}", hex(r.id), r.term, hex(transferee));
    // The transfer must finish within an election timeout.
    r.electionElapsedTicks = 0;
    r.leadTransferee = transferee;
    if (pr.match() == r.raftLog.lastIndex()) {
      sendTimeoutNow(transferee);
      r.logger.info("{} sends MsgTimeoutNow to {} immediately as {} already has up-to-date log",
          hex(r.id), hex(transferee), hex(transferee));
    } else {
      sendAppend(transferee);
    }
  }

  private void sendTimeoutNow(long to) {
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgTimeoutNow));
  }

  // ---------------------------------------------------------------- configuration

  /** After a configuration change on the leader: commit what the new quorum allows, probe the rest. */
  void onConfigChanged() {
    if (maybeCommit()) {
      bcastAppend();
    } else {
      r.trk.visit((id, pr) -> {
        if (id != r.id) {
          maybeSendAppend(id, false);
        }
      });
    }
    if (r.leadTransferee != NONE && !r.trk.voters().incoming().contains(r.leadTransferee)
        && !r.trk.voters().outgoing().contains(r.leadTransferee)) {
      r.abortLeaderTransfer();
    }
  }
}

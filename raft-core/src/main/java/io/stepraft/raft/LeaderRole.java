package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.tracker.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a leader does: accept proposals, replicate the log ({@link Replication}), count
 * acknowledgements to commit, keep its authority with heartbeats and quorum checks, confirm reads
 * ({@link LeaderReads}), and hand leadership over. It owns the state only a leader has; {@link
 * #reset} clears it whenever the node's role or term changes.
 */
final class LeaderRole {
  private final Raft r;
  private final Replication replication;
  private final LeaderReads reads;

  /** Builds each proposal's entry (cleared first): a builder less per proposal. */
  private final Entry.Builder entry = Entry.newBuilder();

  /** The transfer target, or NONE. */
  private long transferee = NONE;

  /** Whether this leader sent a MsgTimeoutNow in its term: its lease no longer holds. */
  private boolean timeoutNowSent;

  /**
   * Only one configuration change may be pending (in the log, not yet applied) at a time: the index
   * of the latest such entry, or a conservative bound after an election.
   */
  private long pendingConfIndex;

  /** Payload bytes of the uncommitted tail; an estimate that never overestimates. */
  private long uncommittedSizeBytes;

  /** Ticks since the last quorum check (or since a transfer began). */
  private int electionElapsedTicks;

  /** Ticks since the last heartbeat round. */
  private int heartbeatElapsedTicks;

  LeaderRole(Raft raft, ReadQueue readQueue) {
    this.r = raft;
    this.replication = new Replication(raft);
    this.reads = new LeaderReads(raft, this, readQueue);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Clears the leader's state (the node changes role or term); pending reads are dropped. */
  void reset() {
    transferee = NONE;
    timeoutNowSent = false;
    pendingConfIndex = 0;
    uncommittedSizeBytes = 0;
    electionElapsedTicks = 0;
    heartbeatElapsedTicks = 0;
    reads.dropAll();
  }

  /**
   * The node became leader: it replicates to itself and appends the empty entry of its term
   * (§5.4.2).
   */
  void start() {
    Progress self = r.trk.progress(r.id);
    self.becomeReplicate();
    self.setRecentActive(true);
    // Any entry past the commit index may be a configuration change; waiting for all of them to
    // apply before accepting another change is safe and cheaper than scanning the tail.
    pendingConfIndex = r.raftLog.lastIndex();
    if (!appendEntries(List.of(Entry.getDefaultInstance()))) {
      throw new IllegalStateException(hex(r.id) + " the empty entry of a new leader was dropped");
    }
  }

  long transferee() {
    return transferee;
  }

  /** Reads waiting for the first commit of the term or for a heartbeat round. */
  int pendingReads() {
    return reads.pendingCount();
  }

  /** Ticks since the last quorum check (or since a transfer began). */
  int electionElapsedTicks() {
    return electionElapsedTicks;
  }

  /**
   * One tick: every election timeout a quorum check (with CheckQuorum) and the end of a transfer
   * that did not finish in time; every heartbeat interval a heartbeat round.
   */
  void tick() {
    heartbeatElapsedTicks++;
    electionElapsedTicks++;
    if (electionElapsedTicks >= r.electionTicks) {
      electionElapsedTicks = 0;
      if (r.checkQuorum) {
        r.step(r.local(MessageType.MsgCheckQuorum));
      }
      if (r.role == Role.LEADER && transferee != NONE) {
        r.logger.info(
            "{} abandons the leadership transfer to {}: not done within an election timeout",
            hex(r.id),
            hex(transferee));
        transferee = NONE;
        maybeAutoLeave(); // it waited for the transfer
      }
    }
    if (r.role != Role.LEADER) {
      return;
    }
    if (heartbeatElapsedTicks >= r.heartbeatTicks) {
      heartbeatElapsedTicks = 0;
      r.step(r.local(MessageType.MsgBeat));
    }
  }

  // ---------------------------------------------------------------- stepping

  /** Handles a message of the leader's term (or a local one). */
  void step(Message m) {
    switch (m.getType()) {
      case MsgBeat -> bcastHeartbeat(reads.heartbeatContext());
      case MsgCheckQuorum -> checkQuorum();
      case MsgProp -> propose(m);
      case MsgReadIndex -> reads.request(m);
      case MsgForgetLeader -> {} // a leader knows itself
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
        r.logger.debug(
            "{} failed to send message to {} because it is unreachable [{}]",
            hex(r.id),
            hex(m.getFrom()),
            pr);
      }
      case MsgTransferLeader -> transferLeader(m.getFrom(), pr);
      default ->
          r.logger.debug("{} leader ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
    }
  }

  // ---------------------------------------------------------------- proposals

  /**
   * Appends a proposal's entries to the log and replicates them. Refused (with a typed reason)
   * while a transfer is under way, when this leader is not a member, or when the uncommitted tail
   * would exceed its byte limit. A configuration change that may not go in now (another is pending,
   * or it does not fit the joint state) is replaced by an empty entry.
   */
  private void propose(Message m) {
    if (m.getEntriesCount() == 0) {
      throw new IllegalStateException(hex(r.id) + " stepped empty MsgProp");
    }
    checkMayPropose();
    List<Entry> ents = m.getEntriesList();
    List<Entry> checked = null;
    long pending = pendingConfIndex;
    for (int i = 0; i < ents.size(); i++) {
      Entry e = ents.get(i);
      if (e.getType() == EntryType.EntryNormal) {
        continue;
      }
      String failed = checkConfChange(e, pending);
      if (failed != null && !r.disableConfChangeValidation) {
        r.logger.info(
            "{} ignoring conf change at config {}: {}", hex(r.id), r.trk.voters(), failed);
        if (checked == null) {
          checked = new ArrayList<>(ents);
        }
        checked.set(i, Entry.getDefaultInstance());
      } else {
        pending = r.raftLog.lastIndex() + i + 1;
      }
    }
    if (!appendEntries(checked == null ? ents : checked)) {
      throw overLimit();
    }
    // Only a change that made it into the log is pending.
    pendingConfIndex = pending;
    replication.bcastAppend();
  }

  /**
   * {@link #propose} for one normal entry of {@code data} proposed on this node: the same checks
   * and effects, without a MsgProp, and the entry built once.
   */
  void proposeData(ByteString data) {
    checkMayPropose();
    if (!admit(data.size())) {
      throw overLimit();
    }
    long index = r.raftLog.lastIndex() + 1;
    long li = r.raftLog.append(entry.clear().setTerm(r.term).setIndex(index).setData(data).build());
    r.acknowledgeOwnAppend(li);
    replication.bcastAppend();
  }

  /** Refuses a proposal while this leader is not a member or a transfer is under way. */
  private void checkMayPropose() {
    if (r.trk.progress(r.id) == null) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.REMOVED_FROM_CONFIGURATION,
          "leader " + hex(r.id) + " is not in the configuration");
    }
    if (transferee != NONE) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.TRANSFER_IN_PROGRESS,
          "leader " + hex(r.id) + " is transferring leadership to " + hex(transferee));
    }
  }

  private ProposalDroppedException overLimit() {
    return new ProposalDroppedException(
        ProposalDroppedException.Reason.UNCOMMITTED_LIMIT,
        "uncommitted entries of "
            + uncommittedSizeBytes
            + " bytes would exceed the limit of "
            + r.maxUncommittedEntriesSizeBytes
            + " bytes");
  }

  /** Returns why a proposed configuration change must not go in now, or null if it may. */
  private String checkConfChange(Entry e, long pendingIndex) {
    ConfChangeV2 cc;
    try {
      cc = ConfChanges.decode(e);
    } catch (InvalidProtocolBufferException ex) {
      return "undecodable configuration change: " + ex.getMessage();
    }
    boolean alreadyPending = pendingIndex > r.raftLog.applied();
    boolean alreadyJoint = r.trk.voters().isJoint();
    boolean wantsLeaveJoint = cc.getChangesCount() == 0;
    if (alreadyPending) {
      return "possible unapplied conf change at index "
          + pendingIndex
          + " (applied to "
          + r.raftLog.applied()
          + ")";
    }
    if (alreadyJoint
        && !ConfChanges.leavesJoint(cc)) { // an empty change with a joint transition enters
      return "must transition out of joint config first";
    }
    if (!alreadyJoint && wantsLeaveJoint) {
      return "not in joint state; refusing empty conf change";
    }
    return null;
  }

  /**
   * Stamps entries with the current term and their indexes and appends them ({@link
   * #appendStamped}). Returns false, appending nothing, when the uncommitted size limit would be
   * exceeded.
   */
  private boolean appendEntries(List<Entry> ents) {
    if (!admit(EntrySizes.payloadsSize(ents))) {
      return false;
    }
    long li = r.raftLog.lastIndex();
    List<Entry> stamped = new ArrayList<>(ents.size());
    for (int i = 0; i < ents.size(); i++) {
      stamped.add(ents.get(i).toBuilder().setTerm(r.term).setIndex(li + 1 + i).build());
    }
    appendStamped(stamped);
    return true;
  }

  /**
   * Appends entries already stamped with this term and their indexes; the leader acknowledges them
   * to itself only once they are durable, through a self-addressed MsgAppResp.
   */
  private void appendStamped(List<Entry> stamped) {
    r.acknowledgeOwnAppend(r.raftLog.append(stamped));
  }

  /**
   * Counts {@code payloadBytes} more into the uncommitted tail, or returns false if they would take
   * it past its limit. An empty tail takes a proposal of any size, and empty entries (a new
   * leader's entry, an auto-leave) always fit.
   */
  private boolean admit(long payloadBytes) {
    if (uncommittedSizeBytes > 0
        && payloadBytes > 0
        && uncommittedSizeBytes + payloadBytes > r.maxUncommittedEntriesSizeBytes) {
      return false;
    }
    uncommittedSizeBytes += payloadBytes;
    return true;
  }

  /** Committed entries of {@code bytes} payload were applied: they leave the uncommitted tail. */
  void reduceUncommittedSize(long bytes) {
    uncommittedSizeBytes = bytes > uncommittedSizeBytes ? 0 : uncommittedSizeBytes - bytes;
  }

  /**
   * Once an auto-leave joint configuration is applied, proposes the empty ConfChangeV2 that leaves
   * it, through the ordinary proposal path. Its payload is empty, so the size limit never refuses
   * it; a transfer in progress does, and the leader tries again on the next applied entry or when
   * the transfer is abandoned.
   */
  void maybeAutoLeave() {
    if (!r.trk.autoLeave() || r.raftLog.applied() < pendingConfIndex) {
      return;
    }
    Entry leave =
        Entry.newBuilder()
            .setType(EntryType.EntryConfChangeV2)
            .setData(ConfChangeV2.getDefaultInstance().toByteString())
            .build();
    try {
      propose(
          Message.newBuilder()
              .setType(MessageType.MsgProp)
              .setFrom(r.id)
              .addEntries(leave)
              .build());
      r.logger.info(
          "{} initiating automatic transition out of joint configuration {}",
          hex(r.id),
          r.trk.voters());
    } catch (ProposalDroppedException e) {
      r.logger.debug(
          "{} not leaving joint configuration {} now: {}",
          hex(r.id),
          r.trk.voters(),
          e.getMessage());
    }
  }

  // ---------------------------------------------------------------- replication and commit

  void bcastAppend() {
    replication.bcastAppend();
  }

  /**
   * A follower (or this leader, for its own durable entries) answers an append. A rejection moves
   * its next index back, using the hint, and probes again; an acceptance raises its match, moves a
   * probing or snapshotting follower to replication, frees its window, commits what a quorum now
   * holds (§5.3, §5.4.2), and completes a transfer to it once it holds the whole log.
   */
  private void handleAppendResponse(Message m, Progress pr) {
    pr.setRecentActive(true);
    if (m.getReject()) {
      handleAppendRejection(m, pr);
      return;
    }
    handleAppendAccepted(m.getFrom(), m.getIndex(), pr);
  }

  /**
   * This leader's own entries up to {@code index} are durable: {@link #stepFromPeer} of its
   * self-addressed MsgAppResp, without the message (see {@link Raft#stepOwnAppendAck}).
   */
  void ownAppendDurable(long index) {
    Progress pr = r.trk.progress(r.id);
    if (pr == null) {
      r.logger.debug("{} no progress available for {}", hex(r.id), hex(r.id));
      return;
    }
    pr.setRecentActive(true);
    handleAppendAccepted(r.id, index, pr);
  }

  /** {@link #handleAppendResponse} of an acceptance from {@code from} of the log up to index. */
  private void handleAppendAccepted(long from, long index, Progress pr) {
    // A probing follower that confirms its match moves to replication even if match did not
    // grow. In SNAPSHOT the pending snapshot decides (see below).
    boolean confirmedProbe = pr.match() == index && pr.state() == Progress.State.PROBE;
    if (!pr.maybeUpdate(index) && !confirmedProbe) {
      return;
    }
    switch (pr.state()) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        // Whatever index the snapshot was applied at, the follower can continue from the log now.
        if (pr.match() + 1 >= r.raftLog.firstIndex()) {
          r.logger.debug(
              "{} recovered from needing snapshot, resumed sending replication messages to {} [{}]",
              hex(r.id),
              hex(from),
              pr);
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights().freeLE(index);
    }
    if (maybeCommit()) {
      reads.onCommit();
      replication.bcastAppend();
    } else if (from != r.id && pr.canBumpCommit(r.raftLog.committed())) {
      // The follower may not know the latest commit index yet: tell it now rather than at the
      // next heartbeat.
      replication.sendAppend(from);
    }
    if (from != r.id) {
      // The window may have opened for several messages at once.
      while (replication.maybeSendAppend(from, false)) {
        // keep sending
      }
    }
    if (from == transferee && pr.match() == r.raftLog.lastIndex()) {
      r.logger.info("{} sent MsgTimeoutNow to {} after received MsgAppResp", hex(r.id), hex(from));
      sendTimeoutNow(from);
    }
  }

  private void handleAppendRejection(Message m, Progress pr) {
    r.logger.debug(
        "{} received MsgAppResp(rejected, hint: (index {}, term {})) from {} for index {}",
        hex(r.id),
        m.getRejectHint(),
        m.getLogTerm(),
        hex(m.getFrom()),
        m.getIndex());
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
      replication.sendAppend(m.getFrom());
    }
  }

  /** Commits the highest index a quorum holds, as the commit rule allows (§5.4.2). */
  private boolean maybeCommit() {
    return r.rules.maybeCommit(r.raftLog, r.trk, r.term);
  }

  // ---------------------------------------------------------------- heartbeats and authority

  /** Sends every other member a heartbeat, carrying {@code context} (a read round) unless null. */
  void bcastHeartbeat(ByteString context) {
    r.trk.visit(
        (id, pr) -> {
          if (id != r.id) {
            sendHeartbeat(id, pr, context);
          }
        });
  }

  private void sendHeartbeat(long to, Progress pr, ByteString context) {
    // Never tell a follower to commit past what it is known to hold: its log may be shorter
    // or still diverge from ours beyond its match index.
    long commit = Math.min(pr.match(), r.raftLog.committed());
    Message.Builder b = r.message().setTo(to).setType(MessageType.MsgHeartbeat).setCommit(commit);
    if (context != null) {
      b.setContext(context);
    }
    r.send(b);
    pr.sentCommit(commit);
  }

  /**
   * A follower answers a heartbeat of this term: it is active, its paused or probing replication
   * resumes (an append goes out if it is behind), a caught-up transferee is told again to campaign,
   * and the context it echoes confirms reads.
   */
  private void handleHeartbeatResponse(Message m, Progress pr) {
    pr.setRecentActive(true);
    pr.setMsgAppFlowPaused(false);
    // Even a full window gets an (empty) append now, so a follower whose appends were all lost
    // recovers; a caught-up follower in PROBE (after reportUnreachable, say) gets one so that its
    // answer moves it back to REPLICATE. In SNAPSHOT this sends nothing.
    if (pr.match() < r.raftLog.lastIndex() || pr.state() == Progress.State.PROBE) {
      replication.sendAppend(m.getFrom());
    }
    if (m.getFrom() == transferee && pr.match() == r.raftLog.lastIndex()) {
      // The transferee is caught up but still follows us: its MsgTimeoutNow was lost (or came
      // before it could campaign). Send it again until the transfer succeeds or is abandoned.
      sendTimeoutNow(m.getFrom());
    }
    reads.onHeartbeatResponse(m.getFrom(), m.getContext());
  }

  /**
   * CheckQuorum (§6.2 of Ongaro's thesis): a leader that did not hear from a quorum during the last
   * election timeout steps down; everyone but itself starts the next period inactive.
   */
  private void checkQuorum() {
    if (!r.trk.quorumActive()) {
      r.logger.warn("{} stepped down to follower since quorum is not active", hex(r.id));
      r.becomeFollower(r.term, NONE);
    }
    r.trk.visit(
        (id, pr) -> {
          if (id != r.id) {
            pr.setRecentActive(false);
          }
        });
  }

  /**
   * Whether a lease read may skip the heartbeat round: a quorum answered since the last quorum
   * check, so none of them votes for another candidate before our next check (older activity lets a
   * check pass while the followers' leases expire), no transfer is under way, and no MsgTimeoutNow
   * was sent in this term: the campaign it starts overrides leases, and it may arrive late, after
   * the transfer was aborted (found by the simulator: a transfer aborted while its MsgTimeoutNow
   * was in flight, then a lease read answered at a commit index the transferee had overtaken).
   */
  boolean leaseHolds() {
    return transferee == NONE && !timeoutNowSent && r.trk.quorumActive();
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * The host reports whether a snapshot reached the follower. Either way the follower probes again,
   * after forgetting the snapshot if it failed; replication waits for its MsgAppResp (success) or
   * the next heartbeat (failure).
   */
  private void handleSnapshotStatus(Message m, Progress pr) {
    if (pr.state() != Progress.State.SNAPSHOT) {
      return;
    }
    if (!m.getReject()) {
      pr.becomeProbe();
      r.logger.debug(
          "{} snapshot succeeded, resumed sending replication messages to {} [{}]",
          hex(r.id),
          hex(m.getFrom()),
          pr);
    } else {
      // Forget the pending snapshot first, or probing would start from an index the follower
      // never got.
      pr.clearPendingSnapshot();
      pr.becomeProbe();
      r.logger.debug(
          "{} snapshot failed, resumed sending replication messages to {} [{}]",
          hex(r.id),
          hex(m.getFrom()),
          pr);
    }
    pr.setMsgAppFlowPaused(true);
  }

  // ---------------------------------------------------------------- leadership transfer

  /**
   * Starts handing leadership to a voter (§3.10 of Ongaro's thesis): proposals stop, the transferee
   * is caught up, and once it holds the whole log it is told to campaign at once. The transfer is
   * abandoned if it does not finish within an election timeout.
   */
  private void transferLeader(long to, Progress pr) {
    if (pr.isLearner()) {
      r.logger.debug("{} is learner. Ignored transferring leadership", hex(to));
      return;
    }
    if (transferee != NONE) {
      if (transferee == to) {
        r.logger.info(
            "{} [term {}] transfer leadership to {} is in progress, ignores request to same node",
            hex(r.id),
            r.term,
            hex(to));
        return;
      }
      transferee = NONE;
      r.logger.info("{} [term {}] abort previous transferring leadership", hex(r.id), r.term);
    }
    if (to == r.id) {
      r.logger.debug("{} is already leader. Ignored transferring leadership to self", hex(r.id));
      return;
    }
    r.logger.info("{} [term {}] starts to transfer leadership to {}", hex(r.id), r.term, hex(to));
    electionElapsedTicks = 0;
    transferee = to;
    if (pr.match() == r.raftLog.lastIndex()) {
      sendTimeoutNow(to);
      r.logger.info(
          "{} sends MsgTimeoutNow to {} immediately as {} already has up-to-date log",
          hex(r.id),
          hex(to),
          hex(to));
    } else {
      replication.sendAppend(to);
    }
  }

  private void sendTimeoutNow(long to) {
    timeoutNowSent = true;
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgTimeoutNow));
  }

  // ---------------------------------------------------------------- configuration

  /**
   * After a configuration change on the leader: commit what the new quorum allows, probe the rest,
   * and abandon a transfer to a node that is no longer a voter.
   */
  void onConfigChanged() {
    if (maybeCommit()) {
      reads.onCommit();
      replication.bcastAppend();
    } else {
      r.trk.visit(
          (id, pr) -> {
            if (id != r.id) {
              replication.maybeSendAppend(id, false);
            }
          });
    }
    if (transferee != NONE && !r.trk.voters().contains(transferee)) {
      transferee = NONE;
    }
  }
}

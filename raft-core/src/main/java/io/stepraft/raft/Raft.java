package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.confchange.ConfChanger;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.confchange.InvalidChangeException;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine of one node: term and vote, role, log, and configuration. It applies the
 * rules common to every role (the term rules of §5.1, storage acknowledgements, snapshots,
 * configuration changes) and hands each message on to the handler of the node's role: {@link
 * FollowerRole}, {@link CandidateRole} (pre-candidates and candidates) or {@link LeaderRole}. Votes
 * are granted by {@link Elections} in every role.
 *
 * <p>Only {@code becomeFollower}, {@code becomePreCandidate}, {@code becomeCandidate} and {@code
 * becomeLeader} change {@link #role}; each rejects an illegal transition. The role classes change
 * this class's state only through its methods; state that only a leader has (its followers'
 * replication, reads, a transfer, the uncommitted tail) is owned by {@link LeaderRole} and cleared
 * whenever the role or term changes.
 */
final class Raft {
  /** The "no node" id: no leader known, no vote cast. */
  static final long NONE = 0;

  /** The sender id of MsgStorageAppendResp: the host's append thread (etcd's MaxUint64). */
  static final long LOCAL_APPEND_THREAD = -1L;

  /** The sender id of MsgStorageApplyResp: the host's apply thread (etcd's MaxUint64 - 1). */
  static final long LOCAL_APPLY_THREAD = -2L;

  /** The context of a MsgVote sent on MsgTimeoutNow: it overrides the receivers' lease. */
  static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");

  final long id;
  final Logger logger;
  final RaftLog raftLog;
  final long maxSizePerMsgBytes;
  final long maxUncommittedEntriesSizeBytes;
  final int electionTicks;
  final int heartbeatTicks;
  final boolean checkQuorum;
  final boolean preVote;
  final ReadOnlyOption readOnlyOption;
  final boolean disableProposalForwarding;
  final boolean disableConfChangeValidation;
  final boolean stepDownOnRemoval;
  final int maxPendingReadIndexRequests;

  /** Whether the host's storage threads step their responses in through {@link RawNode#step}. */
  final boolean asyncStorageWrites;

  private final SplittableRandom random;
  final RaftListener listener;
  final CoreParts parts;

  /** The safety rules ({@link SafetyRules#STANDARD} unless a test planted a bug). */
  final SafetyRules rules;

  // Read anywhere in the package; changed only by this class's methods.
  long term;

  /** The node voted for in {@link #term}, or NONE. Invariant: set at most once per term. */
  long vote;

  Role role = Role.FOLLOWER;

  /** The leader of {@link #term} as far as this node knows, or NONE. */
  long lead = NONE;

  ProgressTracker trk;

  /**
   * Ticks since this node last heard from a leader or granted a vote (or since it became a
   * candidate); a leader keeps its own timer in {@link LeaderRole}.
   */
  int electionElapsedTicks;

  /** A random value in {@code [electionTicks, 2 * electionTicks)}, redrawn on every reset. */
  int randomizedElectionTicks;

  /** Messages to send now. */
  List<Message> msgs = new ArrayList<>();

  /**
   * Messages that may only be sent once the unstable state (entries, term, vote) they acknowledge
   * is durable: MsgAppResp, MsgVoteResp, MsgPreVoteResp; self-addressed ones are stepped back in.
   */
  List<Message> msgsAfterAppend = new ArrayList<>();

  /**
   * The self-addressed MsgAppResp of {@link #msgsAfterAppend} that a leader queues for its own
   * appends, kept as numbers when {@link #ownAcksAsNumbers}; stepped at {@link RawNode#advance}.
   */
  final OwnAppendAcks ownAppendAcks = new OwnAppendAcks();

  /**
   * Whether a leader's acknowledgements of its own appends are kept as numbers rather than
   * messages: with synchronous writes (they never leave the node), without a listener (no one sees
   * the messages) and with the standard rules (a message of the current term is never stale).
   * Stepped at advance, after the Ready's other self-addressed messages: those are vote answers of
   * a later campaign, after which the acknowledgements of an earlier leadership change nothing.
   */
  final boolean ownAcksAsNumbers;

  /**
   * The index of the newest snapshot this node started from or restored: its configuration holds
   * every change at or below it.
   */
  long restoredSnapshotIndex;

  /** Reads confirmed since the last Ready, for the host. */
  final List<ReadState> readStates = new ArrayList<>();

  /** Builds each hard state (every field set each time): a builder less per Ready. */
  private final HardState.Builder hardStateBuilder = HardState.newBuilder();

  /** Builds the messages of the proposal path; see {@link #message()}. */
  private final Message.Builder outgoing = Message.newBuilder();

  final Elections elections;
  final LeaderRole leaderRole;
  private final FollowerRole followerRole;
  private final CandidateRole candidateRole;

  Raft(Config c, CoreParts parts) {
    this.parts = parts;
    this.rules = parts.rules();
    id = c.id();
    logger = LoggerFactory.getLogger(c.loggerName());
    raftLog = new RaftLog(c.storage(), logger, c.maxCommittedSizePerReadyBytes(), rules);
    maxSizePerMsgBytes = c.maxSizePerMsgBytes();
    maxUncommittedEntriesSizeBytes = c.maxUncommittedEntriesSizeBytes();
    electionTicks = c.electionTicks();
    heartbeatTicks = c.heartbeatTicks();
    checkQuorum = c.checkQuorum();
    preVote = c.preVote();
    readOnlyOption = c.readOnlyOption();
    disableProposalForwarding = c.disableProposalForwarding();
    disableConfChangeValidation = c.disableConfChangeValidation();
    stepDownOnRemoval = c.stepDownOnRemoval();
    maxPendingReadIndexRequests = c.maxPendingReadIndexRequests();
    asyncStorageWrites = c.asyncStorageWrites();
    random = new SplittableRandom(c.randomSeed());
    listener = c.listener();
    ownAcksAsNumbers =
        !asyncStorageWrites && listener == RaftListener.NONE && rules == SafetyRules.STANDARD;
    trk = new ProgressTracker(c.maxInflightMsgs(), c.maxInflightBytes());
    elections = new Elections(this);
    leaderRole = new LeaderRole(this, parts.readQueue().get());
    followerRole = new FollowerRole(this);
    candidateRole = new CandidateRole(this, followerRole);

    restoredSnapshotIndex = raftLog.firstIndex() - 1;
    Storage.InitialState initial = c.storage().initialState();
    ConfState cs =
        initial.confState() == null ? ConfState.getDefaultInstance() : initial.confState();
    HardState hs =
        initial.hardState() == null ? HardState.getDefaultInstance() : initial.hardState();
    ConfChanger.Result restored;
    try {
      restored = ConfChanger.restore(trk, raftLog.lastIndex(), cs);
    } catch (InvalidChangeException e) {
      throw new IllegalStateException(
          hex(id) + " the stored configuration " + cs + " is invalid: " + e.getMessage(), e);
    }
    ConfChanges.checkEquivalent(cs, switchToConfig(restored));
    if (!isEmpty(hs)) {
      loadState(hs);
    }
    if (c.applied() > raftLog.committed()) {
      raiseCommitToApplied(c.applied());
    }
    if (c.applied() > 0) {
      raftLog.appliedTo(c.applied(), 0);
    }
    becomeFollower(term, NONE);
    logger.info(
        "{} newRaft [peers: {}, term: {}, commit: {}, applied: {}, lastindex: {}, lastterm: {}]",
        hex(id),
        trk.voters(),
        term,
        raftLog.committed(),
        raftLog.applied(),
        raftLog.lastIndex(),
        raftLog.lastTerm());
  }

  // ---------------------------------------------------------------- state views

  SoftState softState() {
    return new SoftState(lead, role);
  }

  HardState hardState() {
    return hardStateBuilder.setTerm(term).setVote(vote).setCommit(raftLog.committed()).build();
  }

  /** Whether the soft state is {@code ss} (without allocating one). */
  boolean softStateEquals(SoftState ss) {
    return ss.lead() == lead && ss.role() == role;
  }

  /** Whether term, vote and commit index are all 0 (without allocating a hard state). */
  boolean hardStateIsEmpty() {
    return term == 0 && vote == 0 && raftLog.committed() == 0;
  }

  boolean hardStateEquals(HardState hs) {
    return hs.getTerm() == term && hs.getVote() == vote && hs.getCommit() == raftLog.committed();
  }

  static boolean isEmpty(HardState hs) {
    return hs.getTerm() == 0 && hs.getVote() == 0 && hs.getCommit() == 0;
  }

  static boolean isEmpty(Snapshot s) {
    return s == null || s.getMetadata().getIndex() == 0;
  }

  /** Whether this node may become leader: it is a voter and is not restoring a snapshot. */
  boolean promotable() {
    Progress pr = trk.progress(id);
    return pr != null && !pr.isLearner() && !raftLog.hasNextOrInProgressSnapshot();
  }

  private void loadState(HardState hs) {
    if (hs.getCommit() < raftLog.committed() || hs.getCommit() > raftLog.lastIndex()) {
      throw new IllegalStateException(
          hex(id)
              + " state.commit "
              + hs.getCommit()
              + " is out of range ["
              + raftLog.committed()
              + ", "
              + raftLog.lastIndex()
              + "]. Was the raft log corrupted, truncated, or lost?");
    }
    raftLog.commitTo(hs.getCommit());
    term = hs.getTerm();
    vote = hs.getVote();
  }

  /**
   * Only committed entries are applied, so an applied index above the stored commit index means the
   * commit index was not synced before a crash (it need not be). The log still holds the entries;
   * the commit index is raised to match. Entries missing from the log are data loss.
   */
  private void raiseCommitToApplied(long applied) {
    if (applied > raftLog.lastIndex()) {
      throw new IllegalStateException(
          hex(id)
              + " applied index "
              + applied
              + " is beyond the last index "
              + raftLog.lastIndex()
              + " of the log. Was the raft log corrupted, truncated, or lost?");
    }
    logger.info(
        "{} raising commit index {} to the applied index {}: the commit index was not synced",
        hex(id),
        raftLog.committed(),
        applied);
    raftLog.commitTo(applied);
  }

  // ---------------------------------------------------------------- role transitions

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
    listener.roleChanged(id, role, term, lead);
    logger.info("{} became follower at term {}", hex(id), term);
  }

  void becomeCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException(
          hex(id) + " invalid transition [leader -> candidate] at term " + term);
    }
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
    listener.roleChanged(id, role, term, lead);
    logger.info("{} became candidate at term {}", hex(id), term);
  }

  void becomePreCandidate() {
    if (role == Role.LEADER) {
      throw new IllegalStateException(
          hex(id) + " invalid transition [leader -> pre-candidate] at term " + term);
    }
    // A pre-candidate keeps its term and vote: it only asks whether it could win.
    trk.resetVotes();
    lead = NONE;
    role = Role.PRE_CANDIDATE;
    listener.roleChanged(id, role, term, lead);
    logger.info("{} became pre-candidate at term {}", hex(id), term);
  }

  void becomeLeader() {
    if (role == Role.FOLLOWER) {
      throw new IllegalStateException(
          hex(id) + " invalid transition [follower -> leader] at term " + term);
    }
    reset(term);
    lead = id;
    role = Role.LEADER;
    listener.roleChanged(id, role, term, lead);
    leaderRole.start();
    logger.info("{} became leader at term {}", hex(id), term);
  }

  /**
   * Enters {@code newTerm} (forgetting the vote if the term changes) with a fresh election timer.
   */
  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = NONE;
    }
    lead = NONE;
    electionElapsedTicks = 0;
    randomizedElectionTicks = electionTicks + random.nextInt(electionTicks);
    trk.resetVotes();
    long last = raftLog.lastIndex();
    trk.visit((pid, pr) -> pr.resetForNewTerm(last + 1, pid == id ? last : 0));
    leaderRole.reset();
  }

  /** Records a vote granted in the current term; a node votes at most once per term. */
  void grantVote(long candidate) {
    if (vote != NONE && vote != candidate) {
      throw new IllegalStateException(
          hex(id)
              + " already voted for "
              + hex(vote)
              + " at term "
              + term
              + ", cannot vote for "
              + hex(candidate));
    }
    vote = candidate;
    electionElapsedTicks = 0;
  }

  /**
   * A follower heard from the leader of its term: it follows it and restarts its election timer.
   */
  void heardFromLeader(long leader) {
    if (role != Role.FOLLOWER) {
      throw new IllegalStateException(
          hex(id) + " heard from leader " + hex(leader) + " as " + role + " at term " + term);
    }
    lead = leader;
    electionElapsedTicks = 0;
  }

  /** A follower forgets its leader (MsgForgetLeader), so that it may vote before its lease ends. */
  void forgetLeader() {
    if (role != Role.FOLLOWER) {
      throw new IllegalStateException(hex(id) + " cannot forget its leader as " + role);
    }
    lead = NONE;
  }

  // ---------------------------------------------------------------- ticks

  void tick() {
    if (role == Role.LEADER) {
      leaderRole.tick();
    } else {
      tickElection();
    }
  }

  boolean pastElectionTimeout() {
    return electionElapsedTicks >= randomizedElectionTicks;
  }

  private void tickElection() {
    electionElapsedTicks++;
    if (promotable() && pastElectionTimeout()) {
      electionElapsedTicks = 0;
      step(local(MessageType.MsgHup));
    }
  }

  Message local(MessageType type) {
    return Message.newBuilder().setType(type).setFrom(id).build();
  }

  // ---------------------------------------------------------------- sending

  /**
   * An empty message builder, the same one each time: fill it and pass it to {@link #send} in one
   * expression, with nothing in between that may send, and do not keep it.
   */
  Message.Builder message() {
    return outgoing.clear();
  }

  /**
   * Queues a message: fills in the sender and, for all but proposals and read requests, the term.
   * Vote messages must carry their term already. Acknowledgements that depend on durable state go
   * to {@link #msgsAfterAppend}. Returns the message queued.
   */
  Message send(Message.Builder m) {
    if (m.getFrom() == NONE) {
      m.setFrom(id);
    }
    MessageType t = m.getType();
    if (t == MessageType.MsgVote
        || t == MessageType.MsgVoteResp
        || t == MessageType.MsgPreVote
        || t == MessageType.MsgPreVoteResp) {
      if (m.getTerm() == 0) {
        throw new IllegalStateException(hex(id) + " term should be set when sending " + t);
      }
    } else {
      if (m.getTerm() != 0) {
        throw new IllegalStateException(
            hex(id) + " term should not be set when sending " + t + " (was " + m.getTerm() + ")");
      }
      // Proposals and read requests are forwarded to the leader as if local: no term.
      if (t != MessageType.MsgProp && t != MessageType.MsgReadIndex) {
        m.setTerm(term);
      }
    }
    Message built = m.build();
    listener.messageSent(id, built);
    if (t == MessageType.MsgAppResp
        || t == MessageType.MsgVoteResp
        || t == MessageType.MsgPreVoteResp) {
      msgsAfterAppend.add(built);
    } else {
      if (built.getTo() == id) {
        throw new IllegalStateException(
            hex(id) + " message should not be self-addressed when sending " + t);
      }
      msgs.add(built);
    }
    return built;
  }

  /**
   * Queues this leader's acknowledgement of its own log up to {@code index}, to be stepped once the
   * entries are durable: a self-addressed MsgAppResp, or its numbers when {@link
   * #ownAcksAsNumbers}.
   */
  void acknowledgeOwnAppend(long index) {
    if (ownAcksAsNumbers) {
      ownAppendAcks.add(term, index);
    } else {
      send(message().setTo(id).setType(MessageType.MsgAppResp).setIndex(index));
    }
  }

  // ---------------------------------------------------------------- stepping

  /**
   * Steps an acknowledgement kept by {@link #acknowledgeOwnAppend} as numbers: what stepping its
   * message would do. In the leader's term it is the leader's handling of the message, without it;
   * otherwise the message is built as {@link #send} would have built it and stepped.
   */
  void stepOwnAppendAck(long ackTerm, long index) {
    if (ackTerm == term && role == Role.LEADER) {
      leaderRole.ownAppendDurable(index);
      return;
    }
    step(
        Message.newBuilder()
            .setTo(id)
            .setType(MessageType.MsgAppResp)
            .setIndex(index)
            .setFrom(id)
            .setTerm(ackTerm)
            .build());
  }

  /**
   * The host wrote a Ready's entries (up to {@code (index, logTerm)}; index 0 for none) and its
   * snapshot (or null), while the node was in term {@code ackTerm}: what a MsgStorageAppendResp
   * says (and, for synchronous writes, what {@link RawNode#advance} says without the message).
   * After a term change the entries may have been replaced in the unstable log, so only the
   * snapshot counts: it is committed state and stays valid whatever the term.
   */
  void storageAppended(long ackTerm, long index, long logTerm, Snapshot snap) {
    if (index != 0 && (ackTerm == 0 || ackTerm >= term)) {
      raftLog.stableTo(index, logTerm);
    }
    if (!isEmpty(snap)) {
      appliedSnapshot(snap);
    }
  }

  /**
   * The host applied entries up to {@code index}, of {@code bytes} bytes serialized and {@code
   * payloadBytes} of payload: what a MsgStorageApplyResp says.
   */
  void storageApplied(long index, long bytes, long payloadBytes) {
    appliedTo(index, bytes);
    leaderRole.reduceUncommittedSize(payloadBytes);
  }

  /**
   * A proposal made on this node: a leader appends it at once (the entry built once, no MsgProp);
   * any other role steps a MsgProp, which forwards it or refuses it.
   */
  void propose(ByteString data) {
    if (role == Role.LEADER) {
      leaderRole.proposeData(data);
      return;
    }
    step(
        Message.newBuilder()
            .setType(MessageType.MsgProp)
            .setFrom(id)
            .addEntries(Entry.newBuilder().setData(data))
            .build());
  }

  /** Steps a message through the term rules, then the role's handler. */
  void step(Message m) {
    listener.messageStepped(id, m);
    if (!stepTerm(m)) {
      return;
    }
    switch (m.getType()) {
      case MsgHup ->
          elections.hup(
              preVote ? Elections.CampaignType.PRE_ELECTION : Elections.CampaignType.ELECTION);
      case MsgStorageAppendResp ->
          storageAppended(
              m.getTerm(), m.getIndex(), m.getLogTerm(), m.hasSnapshot() ? m.getSnapshot() : null);
      case MsgStorageApplyResp -> {
        if (m.getEntriesCount() > 0) {
          List<Entry> ents = m.getEntriesList();
          storageApplied(
              ents.get(ents.size() - 1).getIndex(),
              EntrySizes.entriesSize(ents),
              EntrySizes.payloadsSize(ents));
        }
      }
      case MsgVote, MsgPreVote -> elections.handleVoteRequest(m);
      default -> {
        switch (role) {
          case LEADER -> leaderRole.step(m);
          case FOLLOWER -> followerRole.step(m);
          case PRE_CANDIDATE, CANDIDATE -> candidateRole.step(m);
        }
      }
    }
  }

  /**
   * Applies the term rules of §5.1 and the lease and PreVote refinements. Returns whether the
   * message should be processed further.
   */
  private boolean stepTerm(Message m) {
    long mTerm = m.getTerm();
    MessageType t = m.getType();
    if (mTerm == 0) {
      return true; // a local message, a forwarded proposal or read
    }
    if (mTerm > term) {
      if (t == MessageType.MsgVote || t == MessageType.MsgPreVote) {
        boolean force = CAMPAIGN_TRANSFER.equals(m.getContext());
        boolean inLease = checkQuorum && lead != NONE && electionElapsedTicks < electionTicks;
        if (!force && inLease) {
          // §6: a server that heard from a current leader within the minimum election timeout
          // neither raises its term nor grants its vote.
          logger.info(
              "{} [logterm: {}, index: {}, vote: {}] ignored {} from {} [logterm: {}, index: {}] at"
                  + " term {}: lease is not expired (remaining ticks: {})",
              hex(id),
              raftLog.lastTerm(),
              raftLog.lastIndex(),
              hex(vote),
              t,
              hex(m.getFrom()),
              m.getLogTerm(),
              m.getIndex(),
              term,
              electionTicks - electionElapsedTicks);
          return false;
        }
      }
      if (t == MessageType.MsgPreVote) {
        // Never change the term in response to a PreVote.
        return true;
      }
      if (t == MessageType.MsgPreVoteResp && !m.getReject()) {
        // A granted pre-vote carries the term we will campaign in; the term rises only once a
        // quorum granted it.
        return true;
      }
      logger.info(
          "{} [term: {}] received a {} message with higher term from {} [term: {}]",
          hex(id),
          term,
          t,
          hex(m.getFrom()),
          mTerm);
      if (t == MessageType.MsgApp || t == MessageType.MsgHeartbeat || t == MessageType.MsgSnap) {
        becomeFollower(mTerm, m.getFrom());
      } else {
        becomeFollower(mTerm, NONE);
      }
      return true;
    }
    if (rules.isStale(m, term)) {
      stepLowerTerm(m);
      return false;
    }
    return true;
  }

  private void stepLowerTerm(Message m) {
    MessageType t = m.getType();
    boolean mayNeverHearOurTerm =
        checkQuorum || preVote || !trk.voters().contains(m.getFrom()) || !promotable();
    if (mayNeverHearOurTerm && (t == MessageType.MsgHeartbeat || t == MessageType.MsgApp)) {
      // A leader with a stale term, e.g. one cut off while the others moved on. With CheckQuorum
      // it would never hear of the new term (its votes are ignored under the lease) and with
      // PreVote the others never raise their term to its. Without either, our own MsgVote carries
      // our term to it, but only if it is one of our voters and we can campaign at all: a node
      // whose configuration is stale, or that is a learner in it, would otherwise ignore the
      // leader forever. Tell it the current term so that it steps down.
      send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp));
    } else if (t == MessageType.MsgPreVote) {
      // Answer with a rejection so that a pre-candidate of a lower term learns of ours and does
      // not stall.
      logger.info(
          "{} [logterm: {}, index: {}, vote: {}] rejected {} from {} [logterm: {}, index: {}] at"
              + " term {}",
          hex(id),
          raftLog.lastTerm(),
          raftLog.lastIndex(),
          hex(vote),
          t,
          hex(m.getFrom()),
          m.getLogTerm(),
          m.getIndex(),
          term);
      send(
          Message.newBuilder()
              .setTo(m.getFrom())
              .setTerm(term)
              .setType(MessageType.MsgPreVoteResp)
              .setReject(true));
    } else if (t == MessageType.MsgStorageAppendResp) {
      storageAppended(
          m.getTerm(), m.getIndex(), m.getLogTerm(), m.hasSnapshot() ? m.getSnapshot() : null);
    } else {
      logger.debug(
          "{} [term: {}] ignored a {} message with lower term from {} [term: {}]",
          hex(id),
          term,
          t,
          hex(m.getFrom()),
          m.getTerm());
    }
  }

  // ---------------------------------------------------------------- storage acknowledgements

  /** The host applied entries up to {@code index} (of {@code sizeBytes} bytes in all). */
  void appliedTo(long index, long sizeBytes) {
    long newApplied = Math.max(index, raftLog.applied());
    raftLog.appliedTo(newApplied, sizeBytes);
    if (role == Role.LEADER) {
      leaderRole.maybeAutoLeave();
    }
  }

  /** The host persisted (and applied) snapshot {@code snap}. */
  void appliedSnapshot(Snapshot snap) {
    long index = snap.getMetadata().getIndex();
    raftLog.stableSnapTo(index);
    appliedTo(index, 0);
  }

  // ---------------------------------------------------------------- snapshots and configuration

  /**
   * Replaces the log with a snapshot newer than the commit index. Returns false when the snapshot
   * is stale, when the log already holds its last entry (then only the commit index moves), or when
   * this node is not part of its configuration.
   */
  boolean restore(Snapshot s) {
    long sIndex = s.getMetadata().getIndex();
    long sTerm = s.getMetadata().getTerm();
    if (sIndex <= raftLog.committed()) {
      return false;
    }
    if (role != Role.FOLLOWER) {
      logger.warn("{} attempted to restore snapshot as {}; should never happen", hex(id), role);
      becomeFollower(term + 1, NONE);
      return false;
    }
    ConfState cs = s.getMetadata().getConfState();
    if (!cs.getVotersList().contains(id)
        && !cs.getLearnersList().contains(id)
        && !cs.getVotersOutgoingList().contains(id)) {
      logger.warn(
          "{} attempted to restore snapshot but it is not in the ConfState {}; should never happen",
          hex(id),
          cs);
      return false;
    }
    if (raftLog.matchTerm(sIndex, sTerm)) {
      logger.info(
          "{} [commit: {}, lastindex: {}, lastterm: {}] fast-forwarded commit to snapshot [index:"
              + " {}, term: {}]",
          hex(id),
          raftLog.committed(),
          raftLog.lastIndex(),
          raftLog.lastTerm(),
          sIndex,
          sTerm);
      raftLog.commitTo(sIndex);
      return false;
    }
    // The configuration is checked before anything changes: a snapshot is input from the network.
    ProgressTracker fresh = new ProgressTracker(trk.maxInflight(), trk.maxInflightBytes());
    ConfChanger.Result restored;
    try {
      restored = ConfChanger.restore(fresh, sIndex, cs);
    } catch (InvalidChangeException e) {
      logger.warn(
          "{} ignored snapshot [index: {}, term: {}] with an invalid configuration {}: {}",
          hex(id),
          sIndex,
          sTerm,
          cs,
          e.getMessage());
      return false;
    }
    raftLog.restore(s);
    restoredSnapshotIndex = sIndex;
    trk = fresh;
    ConfChanges.checkEquivalent(cs, switchToConfig(restored));
    logger.info(
        "{} [commit: {}, lastindex: {}, lastterm: {}] restored snapshot [index: {}, term: {}]",
        hex(id),
        raftLog.committed(),
        raftLog.lastIndex(),
        raftLog.lastTerm(),
        sIndex,
        sTerm);
    return true;
  }

  ConfState applyConfChange(ConfChangeV2 cc) {
    ConfChanger changer = new ConfChanger(trk, raftLog.lastIndex());
    ConfChanger.Result r;
    try {
      if (ConfChanges.leavesJoint(cc)) {
        r = changer.leaveJoint();
      } else if (ConfChanges.entersJoint(cc)) {
        r = changer.enterJoint(ConfChanges.autoLeave(cc), cc.getChangesList());
      } else {
        r = changer.simple(cc.getChangesList());
      }
    } catch (InvalidChangeException e) {
      throw new InvalidConfChangeException(e.getMessage(), e);
    }
    return switchToConfig(r);
  }

  /** Installs a new configuration and reacts to it: step down, commit, probe new members. */
  ConfState switchToConfig(ConfChanger.Result r) {
    trk.setConfig(r.voters(), r.learners(), r.learnersNext(), r.autoLeave());
    trk.replaceProgress(r.progress());
    logger.info("{} switched to configuration {}", hex(id), trk.configString());
    ConfState cs = trk.confState();
    listener.configChanged(id, cs);
    Progress self = trk.progress(id);
    if ((self == null || self.isLearner()) && role == Role.LEADER) {
      // This leader was removed or demoted.
      if (stepDownOnRemoval) {
        becomeFollower(term, NONE);
      }
      return cs;
    }
    if (role != Role.LEADER || cs.getVotersCount() == 0) {
      return cs;
    }
    leaderRole.onConfigChanged();
    return cs;
  }

  static String hex(long id) {
    return Long.toHexString(id);
  }
}

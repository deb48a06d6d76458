package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Raft node, driven by the host: the host calls {@link #tick()} on a timer, {@link
 * #step(Message)} for every message received, {@link #propose(byte[])} for writes, and handles a
 * {@link Ready} whenever {@link #hasReady()} is true, then calls {@link #advance(Ready)}.
 *
 * <p>A RawNode is a pure, deterministic state machine: it performs no I/O, starts no threads and
 * reads no clock. Two nodes built from equal configurations and fed equal inputs produce equal
 * outputs. It is <b>not thread-safe</b>: call it from one thread, or guard it with one lock.
 *
 * <p>Expected failures are typed {@link RaftException}s and leave the node unchanged; a broken
 * invariant (a log that lost committed entries, say) throws {@link IllegalStateException}, after
 * which the node must not be used.
 */
public final class RawNode {
  private final Raft raft;
  private SoftState prevSoftState;
  private HardState prevHardState;

  /**
   * Self-addressed acknowledgements delivered at {@link #advance}: they depend on durable state.
   */
  private final List<Message> stepsOnAdvance = new ArrayList<>();

  /** A leader's acknowledgements of its own appends, delivered at {@link #advance} after those. */
  private final OwnAppendAcks ownAcksOnAdvance = new OwnAppendAcks();

  // The acknowledgements of the outstanding Ready's writes (synchronous writes only), stepped at
  // advance() after the self-addressed messages; see StorageMessages for their asynchronous form.
  private boolean ackAppend;
  private long ackTerm;
  private long ackIndex;
  private long ackLogTerm;
  private Snapshot ackSnapshot;
  private long ackAppliedIndex;
  private long ackAppliedBytes;
  private long ackAppliedPayloadBytes;

  private boolean readyOutstanding;

  /** Gathers a synchronous Ready's messages before they are copied into it; empty in between. */
  private final ArrayList<Message> toSend = new ArrayList<>();

  /**
   * Creates a node from its configuration and the state in its storage: a new node when the storage
   * is empty (then call {@link #bootstrap} or wait to be added), a new member of a new cluster when
   * the storage holds only a configuration ({@link MemoryStorage#withConfState}), a restarted node
   * otherwise.
   *
   * @throws IllegalStateException if the stored state is inconsistent (commit beyond the log)
   */
  public RawNode(Config config) {
    this(config, CoreParts.STANDARD);
  }

  /** A node built with other parts: for tests that plant a bug in the core. */
  RawNode(Config config, CoreParts parts) {
    this.raft = new Raft(config, parts);
    this.prevSoftState = raft.softState();
    this.prevHardState = raft.hardState();
  }

  /**
   * Makes an empty node the first member(s) of a new cluster: appends one committed configuration
   * entry per peer and applies them, so that the node can campaign at once. Every node of a new
   * cluster is bootstrapped with the same peers. The entries appear in the next {@link Ready}, to
   * be persisted and applied like any other.
   *
   * <p>The log then holds the founding configuration, so a restart needs nothing but the log. The
   * alternative is a storage built with {@link MemoryStorage#withConfState}: no entries, the
   * configuration kept by the host outside the log. Use one or the other, not both.
   *
   * @throws IllegalArgumentException if {@code peers} is empty
   * @throws IllegalStateException if the storage is not empty or already holds a configuration
   */
  public void bootstrap(List<Peer> peers) {
    if (peers == null || peers.isEmpty()) {
      throw new IllegalArgumentException("must provide at least one peer to bootstrap");
    }
    long lastIndex = raft.raftLog.storage.lastIndex();
    if (lastIndex != 0) {
      throw new IllegalStateException(
          "can't bootstrap a nonempty storage (last index " + lastIndex + ")");
    }
    ConfState stored = raft.trk.confState();
    if (stored.getVotersCount() + stored.getLearnersCount() != 0) {
      throw new IllegalStateException(
          "can't bootstrap a storage that already holds a configuration ("
              + ConfChanges.describe(stored)
              + ")");
    }
    // Nothing is persisted yet: the first Ready must carry the hard state.
    prevHardState = HardState.getDefaultInstance();
    raft.becomeFollower(1, Raft.NONE);
    List<Entry> ents = new ArrayList<>(peers.size());
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i);
      ConfChange.Builder cc =
          ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(p.id());
      if (p.context() != null) {
        cc.setContext(ByteString.copyFrom(p.context()));
      }
      ents.add(
          Entry.newBuilder()
              .setType(EntryType.EntryConfChange)
              .setTerm(1)
              .setIndex(i + 1)
              .setData(cc.build().toByteString())
              .build());
    }
    raft.raftLog.append(ents);
    // Committed but not applied: the host sees the entries in Ready.committedEntries and applies
    // them again through applyConfChange, which is idempotent for these additions.
    raft.raftLog.commitTo(ents.size());
    for (Peer p : peers) {
      raft.applyConfChange(
          ConfChanges.toV2(
              ConfChange.newBuilder()
                  .setType(ConfChangeType.ConfChangeAddNode)
                  .setNodeId(p.id())
                  .build()));
    }
  }

  /**
   * Advances logical time by one tick: election timeouts on followers, heartbeats on the leader.
   */
  public void tick() {
    raft.tick();
  }

  /** Starts an election now (a pre-vote first when PreVote is on). */
  public void campaign() {
    raft.step(Message.newBuilder().setType(MessageType.MsgHup).build());
  }

  /**
   * Proposes data to be appended to the log. On a follower the proposal is forwarded to the leader.
   * Success means only that the proposal was accepted for replication: it is committed when it
   * shows up in {@link Ready#committedEntries()}, and may still be lost if leadership changes
   * before that.
   *
   * @throws ProposalDroppedException if no leader is known, this node is campaigning, forwarding is
   *     disabled, a leadership transfer is in progress, or the uncommitted-size limit would be
   *     exceeded; {@link ProposalDroppedException#reason()} tells which
   */
  public void propose(byte[] data) {
    propose(ByteString.copyFrom(data));
  }

  /** Like {@link #propose(byte[])} without copying the data. */
  public void propose(ByteString data) {
    raft.propose(data);
  }

  /**
   * Proposes a configuration change; it takes effect when applied with {@link
   * #applyConfChange(ConfChange)}.
   */
  public void proposeConfChange(ConfChange cc) {
    proposeEntry(EntryType.EntryConfChange, cc.toByteString());
  }

  /**
   * Proposes a configuration change; it takes effect when applied with {@link
   * #applyConfChange(ConfChangeV2)}.
   */
  public void proposeConfChange(ConfChangeV2 cc) {
    proposeEntry(EntryType.EntryConfChangeV2, cc.toByteString());
  }

  private void proposeEntry(EntryType type, ByteString data) {
    raft.step(
        Message.newBuilder()
            .setType(MessageType.MsgProp)
            .setFrom(raft.id)
            .addEntries(Entry.newBuilder().setType(type).setData(data))
            .build());
  }

  /**
   * Applies the configuration change that a committed entry carries (either encoding, see {@link
   * ConfChangeEntry#decode}) and returns the new configuration, which the host should store with
   * its snapshot state. Prefer this form in an apply loop: a host may step messages between {@link
   * #ready()} and {@link #advance}, and a snapshot restored meanwhile already holds the effect of
   * every change at or below its index. Such a change is not applied again (that would corrupt the
   * snapshot's configuration); the current configuration is returned.
   *
   * @param entry a committed entry of type {@code EntryConfChange} or {@code EntryConfChangeV2}
   * @throws InvalidConfChangeException if the entry holds no decodable change, or the change is
   *     invalid in the current configuration; nothing changed
   */
  public ConfState applyConfChange(Entry entry) {
    ConfChangeV2 cc = ConfChangeEntry.decode(entry);
    if (entry.getIndex() <= raft.restoredSnapshotIndex) {
      return raft.trk.confState();
    }
    return raft.applyConfChange(cc);
  }

  /**
   * Applies a committed configuration change to this node and returns the new configuration, which
   * the host should store with its snapshot state. See {@link #applyConfChange(Entry)}, which also
   * guards against a snapshot restored since the entry was handed out.
   *
   * @throws InvalidConfChangeException if the change is invalid in the current configuration;
   *     nothing changed
   */
  public ConfState applyConfChange(ConfChange cc) {
    return raft.applyConfChange(ConfChanges.toV2(cc));
  }

  /** Applies a committed configuration change; see {@link #applyConfChange(ConfChange)}. */
  public ConfState applyConfChange(ConfChangeV2 cc) {
    return raft.applyConfChange(cc);
  }

  /**
   * Steps a message received from a peer (or, with async storage writes, from the host's storage
   * threads).
   *
   * @throws StepLocalMessageException if the message type may only be created locally
   * @throws UnknownPeerException if it is a response from a node not in the configuration
   * @throws InvalidMessageException if it is malformed; nothing changed
   * @throws ProposalDroppedException for a forwarded proposal that cannot be accepted
   */
  public void step(Message m) {
    MessageValidator.validate(m, raft);
    raft.step(m);
  }

  /** Whether {@link #ready()} has anything for the host to do. */
  public boolean hasReady() {
    Raft r = raft;
    if (!r.softStateEquals(prevSoftState)) {
      return true;
    }
    if (!r.hardStateIsEmpty() && !r.hardStateEquals(prevHardState)) {
      return true;
    }
    if (r.raftLog.hasNextUnstableSnapshot()) {
      return true;
    }
    if (!r.msgs.isEmpty() || !r.msgsAfterAppend.isEmpty() || !r.ownAppendAcks.isEmpty()) {
      return true;
    }
    if (r.raftLog.hasNextUnstableEnts()
        || r.raftLog.hasNextCommittedEnts(!raft.asyncStorageWrites)) {
      return true;
    }
    return !r.readStates.isEmpty();
  }

  /**
   * Returns the work accumulated since the last Ready. The host must handle it (see {@link Ready})
   * and then call {@link #advance(Ready)} before calling {@code ready()} again.
   *
   * @throws IllegalStateException if the previous Ready was not advanced (synchronous writes)
   */
  public Ready ready() {
    if (readyOutstanding) {
      throw new IllegalStateException("ready() called twice without advance()");
    }
    Raft r = raft;
    SoftState softChange = r.softStateEquals(prevSoftState) ? null : r.softState();
    HardState hard = r.hardStateEquals(prevHardState) ? null : r.hardState();
    Snapshot snap = r.raftLog.hasNextUnstableSnapshot() ? r.raftLog.nextUnstableSnapshot() : null;
    List<Entry> entries = r.raftLog.nextUnstableEnts();
    // With synchronous writes the host persists a Ready before applying it, so entries may be
    // applied in the Ready that persists them; asynchronous hosts apply only what is durable.
    List<Entry> committed = r.raftLog.nextCommittedEnts(!raft.asyncStorageWrites);
    boolean mustSync = mustSync(r.term, r.vote, prevHardState, entries.size(), snap != null);
    List<Message> messages;
    if (raft.asyncStorageWrites) {
      messages = new ArrayList<>(r.msgs.size() + 2);
      messages.addAll(r.msgs);
      StorageMessages.addTo(messages, r, entries, hard, snap, committed);
    } else if (r.msgs.isEmpty() && onlySelf(r)) {
      messages = List.of(); // nothing leaves: spare the list
    } else {
      // The host persists before it sends, so acknowledgements go out in the same batch;
      // self-addressed ones are stepped back in at advance().
      for (int i = 0; i < r.msgs.size(); i++) {
        toSend.add(r.msgs.get(i));
      }
      for (int i = 0; i < r.msgsAfterAppend.size(); i++) {
        Message m = r.msgsAfterAppend.get(i);
        if (m.getTo() != r.id) {
          toSend.add(m);
        }
      }
      messages = ImmutableLists.copyOf(toSend);
      toSend.clear();
    }
    Ready rd =
        new Ready(softChange, hard, r.readStates, entries, snap, committed, messages, mustSync);
    accept(rd);
    return rd;
  }

  /** Whether every acknowledgement waiting for the write is addressed to this node itself. */
  private static boolean onlySelf(Raft r) {
    for (int i = 0; i < r.msgsAfterAppend.size(); i++) {
      if (r.msgsAfterAppend.get(i).getTo() != r.id) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the Ready's writes must be synced before its messages leave: new entries, a new term or
   * vote, or a snapshot (the follower acknowledges it in this Ready's messages; etcd's raft leaves
   * that to the host).
   */
  private static boolean mustSync(
      long term, long vote, HardState prev, int newEntries, boolean snapshot) {
    return newEntries != 0 || snapshot || vote != prev.getVote() || term != prev.getTerm();
  }

  private void accept(Ready rd) {
    Raft r = raft;
    if (rd.softState() != null) {
      prevSoftState = rd.softState();
    }
    if (rd.hasHardState()) {
      prevHardState = rd.hardState();
    }
    r.readStates.clear();
    if (!raft.asyncStorageWrites) {
      for (int i = 0; i < r.msgsAfterAppend.size(); i++) {
        Message m = r.msgsAfterAppend.get(i);
        if (m.getTo() == r.id) {
          stepsOnAdvance.add(m);
        }
      }
      ownAcksOnAdvance.addAll(r.ownAppendAcks);
      r.ownAppendAcks.clear();
      // What advance() acknowledges once the host wrote and applied this Ready: the same as the
      // MsgStorageAppendResp and MsgStorageApplyResp of asynchronous writes, without the messages.
      boolean wroteEntries = r.raftLog.hasNextOrInProgressUnstableEnts();
      ackAppend = wroteEntries || rd.hasSnapshot();
      ackTerm = r.term;
      ackIndex = wroteEntries ? r.raftLog.lastIndex() : 0;
      ackLogTerm = wroteEntries ? r.raftLog.lastTerm() : 0;
      ackSnapshot = rd.hasSnapshot() ? rd.snapshot() : null;
      List<Entry> applied = rd.committedEntries();
      ackAppliedIndex = applied.isEmpty() ? 0 : applied.get(applied.size() - 1).getIndex();
      ackAppliedBytes = EntrySizes.entriesSize(applied);
      ackAppliedPayloadBytes = EntrySizes.payloadsSize(applied);
      readyOutstanding = true;
    }
    // The Ready holds copies (or protobuf messages built from them): the lists can be reused.
    r.msgs.clear();
    r.msgsAfterAppend.clear();
    r.raftLog.acceptUnstable();
    List<Entry> committed = rd.committedEntries();
    if (!committed.isEmpty()) {
      r.raftLog.acceptApplying(
          committed.get(committed.size() - 1).getIndex(),
          EntrySizes.entriesSize(committed),
          !raft.asyncStorageWrites);
    }
  }

  /**
   * Tells the node the host has handled the last {@link Ready}: its entries, hard state and
   * snapshot are durable and its committed entries applied.
   *
   * @throws IllegalStateException if there is no outstanding Ready, or with async storage writes
   */
  public void advance(Ready rd) {
    if (raft.asyncStorageWrites) {
      throw new IllegalStateException(
          "advance() must not be called with asyncStorageWrites: "
              + "step the responses of MsgStorageAppend and MsgStorageApply instead");
    }
    if (!readyOutstanding) {
      throw new IllegalStateException("advance() called without a preceding ready()");
    }
    readyOutstanding = false;
    // Only ready() queues these, never a step: the list is stable while it is stepped.
    try {
      for (int i = 0; i < stepsOnAdvance.size(); i++) {
        raft.step(stepsOnAdvance.get(i));
      }
      for (int i = 0; i < ownAcksOnAdvance.size(); i++) {
        raft.stepOwnAppendAck(ownAcksOnAdvance.term(i), ownAcksOnAdvance.index(i));
      }
    } finally {
      stepsOnAdvance.clear();
      ownAcksOnAdvance.clear();
    }
    if (ackAppend) {
      raft.storageAppended(ackTerm, ackIndex, ackLogTerm, ackSnapshot);
      ackSnapshot = null;
    }
    if (ackAppliedIndex != 0) {
      raft.storageApplied(ackAppliedIndex, ackAppliedBytes, ackAppliedPayloadBytes);
    }
  }

  /** The node's state, with per-peer progress when it leads. Allocates; for monitoring. */
  public Status status() {
    Map<Long, PeerProgress> progress = new TreeMap<>();
    if (raft.role == Role.LEADER) {
      raft.trk.visit(
          (id, pr) ->
              progress.put(
                  id,
                  new PeerProgress(
                      pr.match(),
                      pr.next(),
                      ProgressState.of(pr.state()),
                      pr.recentActive(),
                      pr.isPaused(),
                      pr.inflights().count(),
                      pr.inflights().bytes(),
                      pr.pendingSnapshot(),
                      pr.isLearner())));
    }
    return new Status(basicStatus(), raft.trk.confState(), Collections.unmodifiableMap(progress));
  }

  /** The node's state without per-peer progress. */
  public BasicStatus basicStatus() {
    return new BasicStatus(
        raft.id,
        raft.hardState(),
        raft.softState(),
        raft.raftLog.applied(),
        raft.leaderRole.transferee());
  }

  /**
   * Reports that the last message to {@code id} could not be delivered; the leader probes it again.
   */
  public void reportUnreachable(long id) {
    raft.step(Message.newBuilder().setType(MessageType.MsgUnreachable).setFrom(id).build());
  }

  /**
   * Reports whether sending a snapshot to {@code id} succeeded; the leader resumes replication to
   * it.
   */
  public void reportSnapshot(long id, SnapshotStatus status) {
    raft.step(
        Message.newBuilder()
            .setType(MessageType.MsgSnapStatus)
            .setFrom(id)
            .setReject(status == SnapshotStatus.FAILURE)
            .build());
  }

  /**
   * Asks the leader to hand leadership to {@code transferee}. On a follower the request is
   * forwarded to the leader. The transfer is abandoned if it does not finish within an election
   * timeout; watch {@link Ready#softState()} for the outcome.
   *
   * @throws IllegalArgumentException if {@code transferee} is 0, which is no node's id
   */
  public void transferLeader(long transferee) {
    if (transferee == Raft.NONE) {
      // A forwarded request with sender 0 would be stamped with this node's id on the way out.
      throw new IllegalArgumentException("transferee must be a node id, was " + transferee);
    }
    raft.step(
        Message.newBuilder().setType(MessageType.MsgTransferLeader).setFrom(transferee).build());
  }

  /**
   * Requests a linearizable read. When leadership is confirmed, a {@link ReadState} with the same
   * context appears in a later {@link Ready#readStates()}; serve the read once that index is
   * applied. The context only names the answer for the host: use a unique one per request (each
   * call is a read of its own, answered once, even with a context passed before). A request that is
   * accepted may still never be answered (a lost message, a leader change): time reads out and
   * retry.
   *
   * @throws ReadIndexDroppedException if no leader is known or this node is campaigning
   */
  public void readIndex(byte[] requestContext) {
    raft.step(
        Message.newBuilder()
            .setType(MessageType.MsgReadIndex)
            .addEntries(Entry.newBuilder().setData(ByteString.copyFrom(requestContext)))
            .build());
  }

  /**
   * Makes a follower forget its leader, so that it grants votes without waiting for the leader
   * lease to expire (useful when the host knows the leader is gone). Ignored with lease-based
   * reads, which rely on the lease.
   */
  public void forgetLeader() {
    raft.step(Message.newBuilder().setType(MessageType.MsgForgetLeader).build());
  }

  Raft raft() {
    return raft;
  }
}

package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.Config;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadIndexDroppedException;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.SoftState;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.cluster.RequestFailedException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one node, from a start to a crash: its thread, its {@link RawNode}, its state machine
 * and its open requests. The thread is the only one that touches raft and the state machine, and
 * the storage unless writes are asynchronous (then a {@link StorageWriter} owns it); other threads
 * hand it requests through bounded queues and wake it.
 *
 * <p>The loop: tick when a tick is due, step every message that arrived, start every queued
 * request, then handle one Ready exactly as the Ready contract says (persist, send, apply,
 * advance), or sleep until the next tick, message or request. With asynchronous writes the Ready's
 * messages leave at once and its write goes to the storage thread; each turn first finishes the
 * writes the storage thread made durable.
 */
final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /** Messages per link, and requests per queue, taken in one turn of the loop. */
  private static final int BATCH_MAX = 1024;

  private static final int INTERNAL_QUEUE_MAX = 1024;

  /**
   * With asynchronous writes: the most Readies whose write the storage thread has not finished. At
   * the limit the node takes no new Ready, so that what arrives meanwhile goes into the next write
   * (one fsync for all of it) rather than into many small ones that the storage thread would do one
   * after the other anyway. 1 measured best (durable 3-node benchmark: 1, 2 and 8 tried).
   */
  private static final int WRITES_IN_FLIGHT_MAX = 1;

  final long id;
  private final LocalCluster cluster;
  private final Settings settings;
  private final Network network;
  private final NodeStorage storage;

  /** What raft reads: the storage's own log, or with asynchronous writes its {@link #mirror}. */
  private final Storage log;

  /** With asynchronous writes, the node thread's copy of the log; else null. */
  private final MemoryStorage mirror;

  /** With asynchronous writes, the storage thread; else null. */
  private final StorageWriter writer;

  private final ReplicatedStateMachine stateMachine;
  private final RawNode raw;
  private final long electionNanos;
  private final PendingRequests pending;
  private final BoundedQueue<Op<?>> requests;
  private final BoundedQueue<Op<?>> internal = new BoundedQueue<>(INTERNAL_QUEUE_MAX);
  private final Wakeup wakeup;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean stopped;
  private volatile NodeView view;

  // Owned by the node's thread (set up by the starting thread before it starts it).
  private final List<Message> inbox = new ArrayList<>();
  private final Receivers receivers = new Receivers();
  private final List<Message> outgoing = new ArrayList<>();
  private final List<Op.Propose> proposals = new ArrayList<>();
  private int writesInFlight;
  private final Set<Long> unreachable = new LinkedHashSet<>();
  private final Set<Long> failedSnapshots = new LinkedHashSet<>();
  private SoftState soft;
  private HardState hard;
  private ConfState confState;
  private long applied;
  private long nowNanos;
  private long nextTickNanos;

  /**
   * Rebuilds the node from its storage: the state machine from the latest snapshot, raft from the
   * log with {@code applied} at the snapshot. A founding member with an empty storage bootstraps.
   */
  ClusterNode(LocalCluster cluster, Settings settings, Network network, long id, boolean founder) {
    this.id = id;
    this.cluster = cluster;
    this.settings = settings;
    this.network = network;
    this.wakeup = new Wakeup(settings.idleSpinNanos());
    this.pending = new PendingRequests(settings.requestQueueMax());
    this.requests = new BoundedQueue<>(settings.requestQueueMax());
    this.storage = Objects.requireNonNull(settings.storage().open(id), "opened storage");
    boolean async = settings.asyncStorageWrites();
    this.mirror = async ? MirrorLog.copyOf(storage.raftStorage()) : null;
    this.log = async ? mirror : storage.raftStorage();
    this.writer =
        async ? new StorageWriter(settings.name(), id, storage, network, this, cluster) : null;
    Snapshot snap = log.snapshot();
    this.stateMachine = Objects.requireNonNull(settings.stateMachines().apply(id), "state machine");
    this.applied = snap.getMetadata().getIndex();
    if (applied > 0) {
      stateMachine.restore(snap.getData());
    }
    this.confState = log.initialState().confState();
    Config config = config();
    this.electionNanos = config.electionTicks() * settings.tickNanos();
    this.raw = new RawNode(config);
    if (founder && isEmpty(log)) {
      raw.bootstrap(settings.founders().stream().map(Peer::of).toList());
    }
    BasicStatus basic = raw.basicStatus();
    this.soft = basic.softState();
    this.hard = basic.hardState();
    this.view = currentView();
    this.thread = new Thread(this::run, settings.name() + "-node-" + id);
    thread.setDaemon(true);
    wakeup.bind(thread);
  }

  private Config config() {
    Config.Builder defaults =
        Config.builder()
            .id(id)
            .storage(log)
            .electionTicks(10)
            .heartbeatTicks(1)
            .checkQuorum(true)
            .preVote(true)
            .stepDownOnRemoval(true);
    Config user = settings.raftConfig().apply(defaults).build();
    return user.toBuilder()
        .id(id)
        .storage(log)
        .applied(applied)
        .asyncStorageWrites(writer != null)
        .listener(new NodeListener(user.listener(), ctx -> pending.onReadDropped(ctx, nowNanos)))
        .build();
  }

  private static boolean isEmpty(Storage log) {
    Storage.InitialState init = log.initialState();
    return log.lastIndex() == 0
        && init.hardState().getTerm() == 0
        && init.confState().getVotersCount() == 0
        && init.confState().getLearnersCount() == 0;
  }

  void start() {
    if (writer != null) {
      writer.start();
    }
    thread.start();
  }

  /** Asks the thread to stop; {@link #join} waits for it. */
  void stop() {
    stopping = true;
    wakeup.signal();
  }

  boolean join(long timeoutNanos) throws InterruptedException {
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    return !thread.isAlive();
  }

  NodeView view() {
    return view;
  }

  void wake() {
    wakeup.signal();
  }

  /** Hands a client request to the node; it fails at once if the node cannot take it. */
  void submit(Op<?> op) {
    enqueue(requests, op, "its request queue is full (" + settings.requestQueueMax() + ")");
  }

  /** Takes the node's status on its thread. */
  Op.Status status(long deadlineNanos) {
    Op.Status op = new Op.Status(Envelope.NONE, id, deadlineNanos);
    enqueue(internal, op, "its internal queue is full");
    return op;
  }

  /** The transport's outcome of a snapshot this node sent to {@code peer}. */
  void reportSnapshot(long peer, SnapshotStatus status) {
    Op.SnapshotReport op = new Op.SnapshotReport(id, peer, status);
    enqueue(internal, op, "its internal queue is full");
    if (op.done()) {
      LOG.warn("node {} could not take the snapshot report {} for node {}", id, status, peer);
    }
  }

  private void enqueue(BoundedQueue<Op<?>> queue, Op<?> op, String full) {
    if (stopped) {
      op.fail(Reason.REJECTED, "the node is not running", null);
    } else if (!queue.offer(op)) {
      op.fail(Reason.REJECTED, full, null);
    } else if (stopped && queue.remove(op)) {
      // The thread stopped between the check and the offer, and will not drain the queue again.
      op.fail(Reason.REJECTED, "the node is not running", null);
    } else {
      wakeup.signal();
    }
  }

  private void run() {
    try {
      nextTickNanos = System.nanoTime() + settings.tickNanos();
      while (!stopping) {
        nowNanos = System.nanoTime();
        if (nowNanos - nextTickNanos >= 0) {
          tick();
        }
        if (writer != null) {
          finishWrites();
        }
        receive();
        drain(internal);
        drain(requests);
        if (writesInFlight < WRITES_IN_FLIGHT_MAX && raw.hasReady()) {
          if (writer != null) {
            handleReadyAsync();
          } else {
            handleReady();
          }
          continue;
        }
        wakeup.await(network.nextDueNanos(id, nextTickNanos) - System.nanoTime());
      }
    } catch (Throwable t) {
      cluster.nodeFailed(id, t);
    } finally {
      exit();
    }
  }

  private void tick() {
    raw.tick();
    nextTickNanos += settings.tickNanos();
    if (nowNanos - nextTickNanos >= 0) {
      // Fell behind (a pause): skip the missed ticks rather than fire them in a burst.
      nextTickNanos = nowNanos + settings.tickNanos();
    }
    pending.expire(nowNanos);
    for (Op<?> op : pending.retriesDue(nowNanos)) {
      if (op instanceof Op.Read r) {
        issueRead(r);
      } else if (op instanceof Op.Transfer t) {
        requestTransfer(t);
      }
    }
  }

  private void receive() {
    network.receive(id, nowNanos, BATCH_MAX, inbox);
    for (Message m : inbox) {
      try {
        raw.step(m);
      } catch (RaftException e) {
        LOG.debug("node {} refused {} from {}: {}", id, m.getType(), m.getFrom(), e.getMessage());
      }
    }
    inbox.clear();
  }

  /**
   * Starts the queued requests in order; consecutive proposals go to raft together, as one MsgProp
   * (one append, one MsgApp per follower for all of them rather than one a proposal).
   */
  private void drain(BoundedQueue<Op<?>> queue) {
    for (int i = 0; i < BATCH_MAX; i++) {
      Op<?> op = queue.poll();
      if (op == null) {
        break;
      }
      if (op instanceof Op.Propose p && pending.hasRoomFor(proposals.size() + 1)) {
        proposals.add(p);
        continue;
      }
      proposeAll();
      start(op);
    }
    proposeAll();
  }

  private void proposeAll() {
    if (proposals.size() == 1) {
      propose(proposals.get(0));
    } else if (!proposals.isEmpty()) {
      Message.Builder m = Message.newBuilder().setType(MessageType.MsgProp).setFrom(id);
      for (Op.Propose p : proposals) {
        m.addEntries(Entry.newBuilder().setData(Envelope.wrap(p.id, p.command)));
      }
      try {
        raw.step(m.build());
        proposals.forEach(pending::add);
      } catch (ProposalDroppedException e) {
        proposals.forEach(p -> p.fail(Reason.REJECTED, "raft dropped it", e));
      }
    }
    proposals.clear();
  }

  private void start(Op<?> op) {
    if (op instanceof Op.Status s) {
      s.complete(status());
    } else if (op instanceof Op.SnapshotReport r) {
      raw.reportSnapshot(r.peer, r.status);
    } else if (!pending.hasRoom()) {
      op.fail(Reason.REJECTED, "too many requests pending on the node", null);
    } else if (op instanceof Op.Propose p) {
      propose(p);
    } else if (op instanceof Op.ConfChange c) {
      proposeConfChange(c);
    } else if (op instanceof Op.Read r) {
      pending.add(r);
      issueRead(r);
    } else if (op instanceof Op.Transfer t) {
      startTransfer(t);
    } else {
      throw new IllegalStateException("unknown request " + op.describe());
    }
  }

  private void propose(Op.Propose p) {
    try {
      raw.propose(Envelope.wrap(p.id, p.command));
      pending.add(p);
    } catch (ProposalDroppedException e) {
      p.fail(Reason.REJECTED, "raft dropped it", e);
    }
  }

  private void proposeConfChange(Op.ConfChange c) {
    try {
      raw.proposeConfChange(
          ConfChange.newBuilder()
              .setType(c.type)
              .setNodeId(c.target)
              .setContext(Envelope.idBytes(c.id))
              .build());
      pending.add(c);
    } catch (ProposalDroppedException e) {
      c.fail(Reason.REJECTED, "raft dropped it", e);
    }
  }

  /** Asks raft for a read index; a read raft cannot take now is retried at a later tick. */
  private void issueRead(Op.Read r) {
    long context = cluster.nextRequestId();
    pending.readIssued(r, context);
    r.retryAtNanos = nowNanos + 2 * electionNanos;
    try {
      raw.readIndex(Envelope.idBytes(context).toByteArray());
    } catch (ReadIndexDroppedException e) {
      pending.onReadDropped(context, nowNanos);
    }
  }

  private void startTransfer(Op.Transfer t) {
    if (soft.role() == Role.LEADER) {
      t.complete(null);
      return;
    }
    pending.add(t);
    requestTransfer(t);
  }

  /** Asks the leader (through this node) to hand leadership over; repeated until done. */
  private void requestTransfer(Op.Transfer t) {
    t.retryAtNanos = nowNanos + electionNanos;
    try {
      raw.transferLeader(id);
    } catch (RaftException e) {
      LOG.debug("node {} could not request a transfer: {}", id, e.getMessage());
    }
  }

  private void handleReady() {
    Ready rd = raw.ready();
    pending.onAppended(rd.entries());
    storage.save(rd); // 1. persist
    if (stopping) {
      return; // a crash after the write, before the sends
    }
    send(rd.messages()); // 2. send
    if (rd.hasSnapshot()) { // 3. apply
      restore(rd.snapshot());
    }
    for (Entry e : rd.committedEntries()) {
      apply(e);
    }
    serveReads(rd);
    raw.advance(rd); // 4. advance
    finish(rd);
  }

  /**
   * With asynchronous writes: sends the Ready's messages at once, hands its MsgStorageAppend to the
   * storage thread, and applies its committed entries (already durable here) on this thread,
   * stepping the MsgStorageApply's responses back in. No advance: the responses do its work.
   */
  private void handleReadyAsync() {
    Ready rd = raw.ready();
    pending.onAppended(rd.entries());
    Message applyWork = null;
    for (Message m : rd.messages()) {
      if (m.getType() == MessageType.MsgStorageAppend) {
        writer.write(rd, m);
        writesInFlight++;
      } else if (m.getType() == MessageType.MsgStorageApply) {
        applyWork = m;
      } else {
        outgoing.add(m);
      }
    }
    send(outgoing);
    outgoing.clear();
    if (applyWork != null) {
      for (Entry e : applyWork.getEntriesList()) {
        apply(e);
      }
      applyWork.getResponsesList().forEach(raw::step);
    }
    serveReads(rd);
    finish(rd);
  }

  /**
   * With asynchronous writes: for each write the storage thread made durable, in order, brings the
   * mirror up to date, restores a received snapshot, and steps the responses addressed to this node
   * (the storage thread sent the others).
   */
  private void finishWrites() {
    for (StorageWriter.Done d = writer.poll(); d != null; d = writer.poll()) {
      writesInFlight--;
      Ready rd = d.ready();
      MirrorLog.saved(mirror, rd);
      if (rd.hasSnapshot()) {
        restore(rd.snapshot());
      }
      for (Message resp : d.append().getResponsesList()) {
        if (resp.getTo() == id) {
          raw.step(resp);
        }
      }
      unreachable.addAll(d.unreachable());
    }
  }

  private void serveReads(Ready rd) {
    for (ReadState rs : rd.readStates()) {
      pending.onReadState(Envelope.id(rs.requestContext()), rs.index());
    }
    for (Op.Read r : pending.readsToServe(applied)) {
      r.complete(stateMachine.read(r.query));
    }
  }

  private void finish(Ready rd) {
    reportUndelivered();
    maybeSnapshot();
    noteState(rd);
  }

  /** Sends a Ready's messages, then wakes each receiver once. */
  private void send(List<Message> messages) {
    for (Message m : messages) {
      Network.Outcome outcome = network.send(id, m, nowNanos);
      if (outcome == Network.Outcome.UNREACHABLE) {
        unreachable.add(m.getTo());
      }
      if (outcome != Network.Outcome.SENT && m.getType() == MessageType.MsgSnap) {
        failedSnapshots.add(m.getTo());
      }
      if (outcome == Network.Outcome.SENT) {
        receivers.add(m.getTo());
      }
    }
    receivers.wakeAll(network);
  }

  private void reportUndelivered() {
    for (long peer : unreachable) {
      raw.reportUnreachable(peer);
    }
    for (long peer : failedSnapshots) {
      raw.reportSnapshot(peer, SnapshotStatus.FAILURE);
    }
    unreachable.clear();
    failedSnapshots.clear();
  }

  private void restore(Snapshot snap) {
    long index = snap.getMetadata().getIndex();
    if (index <= applied) {
      throw new IllegalStateException(
          "node " + id + " was handed snapshot " + index + " at or below applied " + applied);
    }
    stateMachine.restore(snap.getData());
    applied = index;
    confState = snap.getMetadata().getConfState();
    pending.onSnapshot(index);
  }

  private void apply(Entry e) {
    long index = e.getIndex();
    if (index != applied + 1) {
      throw new IllegalStateException(
          "node " + id + " was handed entry " + index + " to apply after " + applied);
    }
    applied = index;
    if (e.getType() == EntryType.EntryNormal) {
      long requestId = Envelope.id(e.getData());
      ByteString output =
          requestId == Envelope.NONE
              ? null
              : stateMachine.apply(index, Envelope.command(e.getData()));
      Op.Logged<?> op = pending.onApplied(index, requestId);
      if (op != null) {
        op.applied(output, confState);
      }
      return;
    }
    ConfChangeV2 change = ConfChangeEntry.decode(e);
    Op.Logged<?> op = pending.onApplied(index, Envelope.id(change.getContext()));
    try {
      confState = raw.applyConfChange(e);
      if (op != null) {
        op.applied(null, confState);
      }
    } catch (InvalidConfChangeException refused) {
      if (op != null) {
        op.fail(Reason.REJECTED, "raft refused the committed change", refused);
      }
    }
  }

  /** Every {@code snapshotEveryEntries} applied entries: a snapshot, then compaction. */
  private void maybeSnapshot() {
    long every = settings.snapshotEveryEntries();
    if (every <= 0 || applied - log.snapshot().getMetadata().getIndex() < every) {
      return;
    }
    ByteString data = stateMachine.snapshot();
    long compactIndex = applied - settings.entriesKeptAfterSnapshot();
    boolean compact = compactIndex >= log.firstIndex();
    if (writer != null) {
      mirror.createSnapshot(applied, confState, data);
      if (compact) {
        mirror.compact(compactIndex);
      }
      writer.snapshot(applied, confState, data, compact ? compactIndex : 0);
      return;
    }
    storage.createSnapshot(applied, confState, data);
    if (compact) {
      storage.compact(compactIndex);
    }
  }

  private void noteState(Ready rd) {
    if (rd.hasHardState()) {
      hard = rd.hardState();
    }
    if (rd.hasSoftState()) {
      soft = rd.softState();
      if (soft.role() == Role.LEADER) {
        pending.onLeader();
      }
    }
    NodeView now = currentView();
    if (!now.equals(view)) {
      view = now;
      cluster.viewChanged();
    }
  }

  private NodeView currentView() {
    return new NodeView(
        id, soft.role(), hard.getTerm(), soft.lead(), hard.getCommit(), applied, confState);
  }

  private NodeStatus status() {
    return new NodeStatus(
        raw.status(),
        applied,
        log.snapshot().getMetadata().getIndex(),
        log.firstIndex(),
        log.lastIndex());
  }

  /** Leaves the cluster first, so that a client that sees its request abandoned sees it gone. */
  private void exit() {
    stopped = true;
    cluster.nodeExited(this);
    failQueued(internal);
    failQueued(requests);
    pending.failAll("node " + id + " stopped");
    try {
      if (writer != null) {
        writer.stop(settings.requestTimeoutNanos());
      }
      storage.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.nodeFailed(id, e);
    } catch (RuntimeException e) {
      cluster.nodeFailed(id, e);
    }
  }

  private void failQueued(BoundedQueue<Op<?>> queue) {
    for (Op<?> op = queue.poll(); op != null; op = queue.poll()) {
      op.fail(Reason.REJECTED, "the node stopped before the request started", null);
    }
  }
}

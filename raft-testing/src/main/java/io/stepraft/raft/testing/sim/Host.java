package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.ArrayDeque;

/**
 * The host loop of every node, in the order the Ready contract prescribes: write the snapshot,
 * entries and hard state (to the node's storage and its disk's buffer), fsync, send the messages,
 * apply the snapshot and committed entries, then advance. The fault injector may crash the node
 * between the writes and the fsync, and between two applied entries. Planted bugs change this order
 * or these steps.
 *
 * <p>Entries the durable state machine applied before a restart are handed out again (the node
 * restarts from its snapshot); they are checked against the history and skipped, but their
 * configuration changes are applied to the RawNode again, which rebuilds its configuration so.
 */
final class Host {
  /** The most Readies one input may cause before the node counts as stuck in a loop. */
  static final int READY_ROUNDS_MAX = 10_000;

  private final World w;
  private final PlantedBug bug;

  Host(World w) {
    this.w = w;
    this.bug = w.options.bug();
  }

  /**
   * Calls into the core on a running node. Returns false if the core refused with a typed {@link
   * RaftException} (an expected outcome); any other exception is a broken invariant.
   */
  boolean call(SimNode n, Runnable r) {
    try {
      r.run();
      return true;
    } catch (Violation | ApplicationFailure v) {
      throw v;
    } catch (RaftException e) {
      w.stats.refusals++;
      return false;
    } catch (RuntimeException e) {
      w.corePanic(n, e);
      return false;
    }
  }

  /**
   * Calls into the core, then handles the Readies that follow: at once, or, when the run's hosts
   * batch their inputs ({@link SimParams.ClusterParams#maxReadyDelayMicros}), a little later, so
   * that several inputs (ticks, messages, proposals) are stepped before one Ready is handled.
   */
  boolean input(SimNode n, Runnable r) {
    boolean ok = call(n, r);
    wake(n);
    return ok;
  }

  /** Has the node's Readies handled now, or schedules that for a little later. */
  void wake(SimNode n) {
    int maxDelay = w.params.cluster().maxReadyDelayMicros();
    if (maxDelay == 0) {
      drive(n);
    } else if (!n.readyScheduled && n.outstanding == null && n.isUp()) {
      n.readyScheduled = true;
      w.events.schedule(
          w.now + 1 + w.rng.nextInt(maxDelay), Event.Kind.READY, n.id, n.epoch, 0, false, null);
    }
  }

  /** A scheduled READY (or a held Ready's end) came due: handle the node's Readies. */
  void onReadyEvent(SimNode n, Event e) {
    if (n.epoch != e.epoch() || !n.isUp()) {
      return; // stale: the node paused, crashed or restarted since (resume and restart wake it)
    }
    if (e.kind() == Event.Kind.READY) {
      n.readyScheduled = false;
      drive(n);
    } else if (n.outstanding != null) {
      Ready rd = n.outstanding;
      n.outstanding = null;
      try {
        if (finish(n, rd)) {
          n.raw.advance(rd);
        }
      } catch (Violation | ApplicationFailure v) {
        throw v;
      } catch (RuntimeException ex) {
        w.corePanic(n, ex);
        return;
      }
      drive(n);
    }
  }

  /**
   * Handles Readies until the node has none left, stops running, or holds one back: when the run's
   * hosts hold Readies, a synchronous host writes a Ready and finishes it (fsync, send, apply,
   * advance) only later, stepping further input in between.
   */
  void drive(SimNode n) {
    int rounds = 0;
    try {
      while (n.isUp() && n.outstanding == null && n.raw.hasReady()) {
        if (++rounds > READY_ROUNDS_MAX) {
          w.checks.fail(
              Check.CORE_INVARIANT,
              "node " + n.id + " still has work after " + rounds + " Readies");
          return;
        }
        Ready rd = n.raw.ready();
        if (w.async) {
          if (!handleAsync(n, rd)) {
            return;
          }
          continue;
        }
        begin(n, rd);
        int maxHold = w.params.cluster().maxReadyDelayMicros();
        if (maxHold > 0 && w.rng.nextInt(4) == 0) {
          n.outstanding = rd;
          w.events.schedule(
              w.now + 1 + w.rng.nextInt(maxHold),
              Event.Kind.READY_DONE,
              n.id,
              n.epoch,
              0,
              false,
              null);
          return;
        }
        if (!finish(n, rd)) {
          return;
        }
        n.raw.advance(rd);
      }
    } catch (Violation | ApplicationFailure v) {
      throw v;
    } catch (RuntimeException e) {
      w.corePanic(n, e);
    }
  }

  /** The first half of a Ready: observe it and write it to the storage and the disk's buffer. */
  private void begin(SimNode n, Ready rd) {
    w.stats.readies++;
    w.trace.add(w.now, "ready", n.id, rd);
    boolean becameLeader = observeSoftState(n, rd);
    persist(n, rd);
    if (becameLeader) {
      w.logs.onLeader(n.id, leaderElected(n), n.storage);
    }
    if (bug == PlantedBug.SEND_BEFORE_PERSIST) {
      send(n, rd);
    }
  }

  /**
   * The second half: fsync, send, apply. Returns false if the node crashed before it was done (the
   * caller must not advance).
   */
  private boolean finish(SimNode n, Ready rd) {
    if (w.faults.crashBeforeFsync()) {
      w.crash(n, "crash between write and fsync");
      return false;
    }
    if (rd.mustSync() || rd.hasSnapshot() || !w.params.cluster().lazyCommitSync()) {
      n.disk.fsync();
    }
    if (bug != PlantedBug.SEND_BEFORE_PERSIST) {
      send(n, rd);
    }
    if (bug == PlantedBug.FORGET_VOTE
        && rd.hardState().getVote() != 0
        && rd.hardState().getVote() != n.id) {
      w.crash(n, "crash right after voting", 1); // and restart at once, without the vote
      return false;
    }
    apply(n, rd);
    return n.isUp();
  }

  // ---------------------------------------------------------------- asynchronous storage writes

  /**
   * Handles one Ready of a node with asynchronous storage writes: messages to peers leave now; the
   * MsgStorageAppend and MsgStorageApply are queued for the node's append and apply threads, which
   * do them later, one at a time and in order ({@link #storageWork}). No advance.
   */
  private boolean handleAsync(SimNode n, Ready rd) {
    w.stats.readies++;
    w.trace.add(w.now, "ready", n.id, rd);
    boolean becameLeader = observeSoftState(n, rd);
    if (rd.hasHardState()) {
      HardState hs = rd.hardState();
      w.checks.require(
          hs.getCommit() >= n.commitSeen,
          Check.COMMIT_MONOTONICITY,
          "node " + n.id + " reported commit " + hs.getCommit() + " after " + n.commitSeen);
      n.commitSeen = hs.getCommit();
      w.logs.onCommitReport(hs.getTerm(), hs.getCommit());
    }
    if (becameLeader) {
      // Its storage lags its log: check leader completeness once its first write as leader is done.
      n.leaderCheckTerm = leaderElected(n);
    }
    if (rd.hasSnapshot()) {
      // The RawNode has restored it (and its configuration) already.
      n.snapshotFloor = Math.max(n.snapshotFloor, rd.snapshot().getMetadata().getIndex());
    }
    for (Message m : rd.messages()) {
      if (m.getTo() == APPEND_THREAD) {
        enqueue(n, true, m);
      } else if (m.getTo() == APPLY_THREAD) {
        enqueue(n, false, m);
      } else {
        sendOne(n, m);
      }
    }
    for (ReadState rs : rd.readStates()) {
      onReadState(n, rs);
    }
    return n.isUp();
  }

  static final long APPEND_THREAD = -1L;
  static final long APPLY_THREAD = -2L;

  private void enqueue(SimNode n, boolean append, Message m) {
    (append ? n.appendWork : n.applyWork).addLast(m);
    scheduleWork(n, append);
  }

  private void scheduleWork(SimNode n, boolean append) {
    if (append ? n.appendScheduled : n.applyScheduled) {
      return;
    }
    if ((append ? n.appendWork : n.applyWork).isEmpty()) {
      return;
    }
    if (append) {
      n.appendScheduled = true;
    } else {
      n.applyScheduled = true;
    }
    long delay = 1 + w.rng.nextInt(w.params.cluster().maxStorageDelayMicros());
    w.events.schedule(
        w.now + delay,
        append ? Event.Kind.APPEND_WORK : Event.Kind.APPLY_WORK,
        n.id,
        n.workGen,
        0,
        false,
        null);
  }

  /** The append or apply thread of {@code n} does its next work item, then the node runs. */
  void storageWork(SimNode n, Event e) {
    if (n.workGen != e.epoch()) {
      return; // the process died since
    }
    boolean append = e.kind() == Event.Kind.APPEND_WORK;
    if (n.status == SimNode.Status.PAUSED) {
      // A paused process does no work; try again later.
      w.events.schedule(w.now + World.TICK_MICROS, e.kind(), n.id, n.workGen, 0, false, null);
      return;
    }
    if (append) {
      n.appendScheduled = false;
    } else {
      n.applyScheduled = false;
    }
    ArrayDeque<Message> q = append ? n.appendWork : n.applyWork;
    if (!n.isUp() || q.isEmpty()) {
      return;
    }
    // Like a storage thread with group commit, it takes every item queued by now as one batch.
    java.util.List<Message> batch = new java.util.ArrayList<>(q);
    q.clear();
    try {
      boolean done = append ? doAppend(n, batch) : doApply(n, batch);
      if (!done) {
        return;
      }
    } catch (Violation | ApplicationFailure v) {
      throw v;
    } catch (RuntimeException ex) {
      w.corePanic(n, ex);
      return;
    }
    drive(n);
    if (n.isUp()) {
      scheduleWork(n, append);
    }
  }

  /**
   * Writes a batch of MsgStorageAppend messages durably (for each: snapshot, entries, hard state; a
   * crash may come between the writes and the one fsync, tearing them), then for each in order
   * updates the storage, restores the state machine from its snapshot, and delivers its responses.
   */
  private boolean doAppend(SimNode n, java.util.List<Message> batch) {
    for (Message m : batch) {
      w.trace.add(w.now, "storage append", n.id, m);
      if (m.hasSnapshot()) {
        n.disk.write(m.getSnapshot());
      }
      if (m.getEntriesCount() > 0) {
        n.disk.write(m.getEntriesList());
      }
      if (hardStateOf(m) != null) {
        n.disk.write(hardStateOf(m));
      }
    }
    if (n.disk.hasUnsynced() && w.faults.crashBeforeFsync()) {
      w.crash(n, "crash between storage writes and fsync");
      return false;
    }
    n.disk.fsync();
    for (Message m : batch) {
      if (!appended(n, m)) {
        return false;
      }
    }
    return true;
  }

  private static HardState hardStateOf(Message m) {
    return m.hasTerm() || m.hasVote() || m.hasCommit()
        ? HardState.newBuilder()
            .setTerm(m.getTerm())
            .setVote(m.getVote())
            .setCommit(m.getCommit())
            .build()
        : null;
  }

  /**
   * A durable MsgStorageAppend: updates the storage and the state machine, delivers its responses.
   */
  private boolean appended(SimNode n, Message m) {
    if (m.hasSnapshot()) {
      n.storage.applySnapshot(m.getSnapshot());
      applySnapshot(n, m.getSnapshot());
      n.snapshotFloor = Math.max(n.snapshotFloor, m.getSnapshot().getMetadata().getIndex());
    }
    if (m.getEntriesCount() > 0) {
      n.storage.append(m.getEntriesList());
      w.logs.onWritten(n.id, n.storage, m.getEntriesList());
    }
    HardState hs = hardStateOf(m);
    if (hs != null) {
      n.storage.setHardState(hs);
      w.checks.require(
          hs.getCommit() <= n.storage.lastIndex(),
          Check.COMMIT_BOUNDS,
          "node "
              + n.id
              + " persisted commit "
              + hs.getCommit()
              + " beyond its last index "
              + n.storage.lastIndex());
    }
    if (n.leaderCheckTerm != 0) {
      long last = n.storage.lastIndex();
      if (last > 0 && last >= n.storage.firstIndex() && n.storage.term(last) == n.leaderCheckTerm) {
        w.logs.onLeader(n.id, n.leaderCheckTerm, n.storage);
        n.leaderCheckTerm = 0;
      }
    }
    return deliver(n, m);
  }

  /** Does a batch of MsgStorageApply messages in order. */
  private boolean doApply(SimNode n, java.util.List<Message> batch) {
    for (Message m : batch) {
      if (!doApply(n, m)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies a MsgStorageApply's entries (a crash may come between two), then steps its responses.
   */
  private boolean doApply(SimNode n, Message m) {
    for (Entry e : m.getEntriesList()) {
      applyEntry(n, e);
      if (n.isUp() && w.faults.crashWhileApplying()) {
        w.crash(n, "crash while applying, after index " + e.getIndex());
      }
      if (!n.isUp()) {
        return false;
      }
    }
    return deliver(n, m);
  }

  /** Delivers a storage message's responses: to this node it steps them, to peers it sends them. */
  private boolean deliver(SimNode n, Message m) {
    for (Message r : m.getResponsesList()) {
      if (r.getTo() == n.id) {
        call(n, () -> n.raw.step(r));
      } else {
        sendOne(n, r);
      }
      if (!n.isUp()) {
        return false;
      }
    }
    return true;
  }

  private void sendOne(SimNode n, Message m) {
    if (m.getType() == MessageType.MsgSnap) {
      m = freshSnapshot(n, m);
      w.stats.snapshotsSent++;
    }
    w.elections.onSend(m);
    w.net.send(m);
  }

  /**
   * What follows a node's becoming leader, in either write mode: the election checker records it,
   * and the network replays the acknowledgements it kept for it. Returns the node's term.
   */
  private long leaderElected(SimNode n) {
    long term = n.raw.basicStatus().hardState().getTerm();
    w.elections.onLeader(n.id, term);
    w.net.replay(n, term);
    return term;
  }

  private boolean observeSoftState(SimNode n, Ready rd) {
    if (!rd.hasSoftState()) {
      return false;
    }
    boolean became = rd.softState().role() == Role.LEADER && n.role != Role.LEADER;
    n.role = rd.softState().role();
    return became;
  }

  private void persist(SimNode n, Ready rd) {
    if (rd.hasSnapshot()) {
      n.storage.applySnapshot(rd.snapshot());
      n.disk.write(rd.snapshot());
    }
    if (!rd.entries().isEmpty()) {
      n.storage.append(rd.entries());
      n.disk.write(rd.entries());
      w.logs.onWritten(n.id, n.storage, rd.entries());
    }
    if (rd.hasHardState()) {
      HardState hs = rd.hardState();
      n.storage.setHardState(hs);
      n.disk.write(bug == PlantedBug.FORGET_VOTE ? hs.toBuilder().setVote(0).build() : hs);
      w.checks.require(
          hs.getCommit() >= n.commitSeen,
          Check.COMMIT_MONOTONICITY,
          "node " + n.id + " reported commit " + hs.getCommit() + " after " + n.commitSeen);
      n.commitSeen = hs.getCommit();
      w.logs.onCommitReport(hs.getTerm(), hs.getCommit());
    }
    if (bug == PlantedBug.APPLY_UNCOMMITTED) {
      applyEarly(n, rd);
    }
    w.checks.require(
        n.commitSeen <= n.storage.lastIndex(),
        Check.COMMIT_BOUNDS,
        "node "
            + n.id
            + " commit "
            + n.commitSeen
            + " is beyond its last index "
            + n.storage.lastIndex());
  }

  private void send(SimNode n, Ready rd) {
    for (Message m : rd.messages()) {
      if (m.getType() == MessageType.MsgSnap) {
        m = freshSnapshot(n, m);
        w.stats.snapshotsSent++;
      }
      w.elections.onSend(m);
      w.net.send(m);
    }
  }

  /**
   * Replaces the snapshot in a MsgSnap with one of the state machine as applied now, as etcd's
   * server does: the stored snapshot may predate the recipient's addition, and a node does not
   * restore a snapshot whose configuration lacks it.
   */
  private static Message freshSnapshot(SimNode n, Message m) {
    long applied = n.sm.applied();
    if (applied <= m.getSnapshot().getMetadata().getIndex()) {
      return m;
    }
    SnapshotMetadata meta =
        SnapshotMetadata.newBuilder()
            .setIndex(applied)
            .setTerm(n.storage.term(applied))
            .setConfState(n.sm.conf())
            .build();
    return m.toBuilder()
        .setSnapshot(Snapshot.newBuilder().setMetadata(meta).setData(n.sm.snapshotData()))
        .build();
  }

  private void apply(SimNode n, Ready rd) {
    if (rd.hasSnapshot()) {
      applySnapshot(n, rd.snapshot());
    }
    for (Entry e : rd.committedEntries()) {
      applyEntry(n, e);
      if (n.isUp() && w.faults.crashWhileApplying()) {
        w.crash(n, "crash while applying, after index " + e.getIndex());
      }
      if (!n.isUp()) {
        return;
      }
    }
    for (ReadState rs : rd.readStates()) {
      onReadState(n, rs);
    }
  }

  /** A read got its read index on {@code n}: checked now, served once {@code n} applied it. */
  void onReadState(SimNode n, ReadState rs) {
    w.reads.onReadState(n.id, rs);
    n.readsToServe.addLast(rs);
    serveReads(n);
  }

  /** Serves, from the state machine, the reads whose index {@code n} has applied. */
  void serveReads(SimNode n) {
    while (!n.readsToServe.isEmpty() && n.readsToServe.peekFirst().index() <= n.sm.applied()) {
      ReadState rs = n.readsToServe.pollFirst();
      w.load.serve(n, rs);
    }
  }

  void applySnapshot(SimNode n, Snapshot s) {
    n.confIndex = StateMachine.confIndexOf(s);
    if (s.getMetadata().getIndex() <= n.sm.applied()) {
      return; // the durable state machine is already past it; the log catches up
    }
    w.history.onSnapshot(n.id, s);
    n.sm.restore(s);
    w.stats.snapshotsRestored++;
    serveReads(n);
  }

  private void applyEntry(SimNode n, Entry e) {
    long index = e.getIndex();
    if (index <= n.sm.applied() && bug != PlantedBug.APPLY_TWICE) {
      w.history.onReapply(n.id, e);
      if (index > n.snapshotFloor) {
        applyConfChange(n, e);
      }
      return;
    }
    if (index <= n.snapshotFloor) {
      // Handed to the apply thread before the RawNode restored a snapshot covering it: the state
      // machine is restored from that snapshot when its write is done.
      w.history.onReapply(n.id, e);
      return;
    }
    if (index != n.sm.applied() + 1) {
      w.checks.fail(
          Check.APPLY_ORDER,
          "node " + n.id + " applied index " + index + " after " + n.sm.applied());
    }
    smApply(n, e, applyConfChange(n, e));
  }

  /** Applies an entry to the state machine; the state machine may only apply committed entries. */
  private void smApply(SimNode n, Entry e, ConfState cs) {
    w.checks.require(
        e.getIndex() <= n.commitSeen,
        Check.COMMIT_BOUNDS,
        "node "
            + n.id
            + " applied index "
            + e.getIndex()
            + " beyond its commit index "
            + n.commitSeen);
    ByteString output = n.sm.apply(e, cs);
    if (w.history.onApply(n.id, e, n.sm.digest())) {
      w.onAcknowledged(e, cs, output);
    }
    serveReads(n);
  }

  /** The buggy host of {@link PlantedBug#APPLY_UNCOMMITTED}: applies new normal entries at once. */
  private void applyEarly(SimNode n, Ready rd) {
    for (Entry e : rd.entries()) {
      if (e.getIndex() != n.sm.applied() + 1 || e.getType() != EntryType.EntryNormal) {
        return;
      }
      smApply(n, e, null);
    }
  }

  /**
   * Applies a configuration change entry to the RawNode. Returns the new configuration, or null if
   * the entry is not a change or the change is refused: as etcd's server validates a change against
   * the membership when it applies it, a change whose context names the configuration it was
   * computed from is refused if another change was applied since (so concurrent changes never
   * compound), and a change raft finds invalid is refused. Every node decides alike.
   */
  private ConfState applyConfChange(SimNode n, Entry e) {
    try {
      if (e.getType() == EntryType.EntryNormal) {
        return null;
      }
      ConfChangeV2 cc = ConfChangeEntry.decode(e);
      // Through the entry, so that a change a snapshot restored since already holds is skipped.
      ConfState cs = basedOnCurrent(n, cc.getContext()) ? n.raw.applyConfChange(e) : null;
      if (cs == null) {
        w.stats.refusedConfChanges++;
      } else {
        n.confIndex = e.getIndex();
      }
      return cs;
    } catch (InvalidConfChangeException ex) {
      w.stats.refusedConfChanges++;
      return null;
    }
  }

  /** Whether a change's context is empty or names the configuration the node has now. */
  private static boolean basedOnCurrent(SimNode n, ByteString context) {
    return context.isEmpty() || context.asReadOnlyByteBuffer().getLong() == n.confIndex;
  }
}

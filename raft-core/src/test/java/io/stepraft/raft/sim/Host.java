package io.stepraft.raft.sim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.StateType;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;

/**
 * The host loop of every node, in the order the Ready contract prescribes: write the snapshot,
 * entries and hard state (to the node's storage and its disk's buffer), fsync, send the
 * messages, apply the snapshot and committed entries, then advance. The fault injector may crash
 * the node between the writes and the fsync, and between two applied entries. Planted bugs change
 * this order or these steps.
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
   * Calls into the core on a running node. Returns false if the core refused with a typed
   * {@link RaftException} (an expected outcome); any other exception is a broken invariant.
   */
  boolean call(SimNode n, Runnable r) {
    try {
      r.run();
      return true;
    } catch (Violation v) {
      throw v;
    } catch (RaftException e) {
      w.stats.refusals++;
      return false;
    } catch (RuntimeException e) {
      w.corePanic(n, e);
      return false;
    }
  }

  /** Calls into the core, then handles the Readies that follow. */
  boolean input(SimNode n, Runnable r) {
    boolean ok = call(n, r);
    drive(n);
    return ok;
  }

  /** Handles Readies until the node has none left or stops running. */
  void drive(SimNode n) {
    int rounds = 0;
    try {
      while (n.isUp() && n.raw.hasReady()) {
        if (++rounds > READY_ROUNDS_MAX) {
          w.checks.fail(Check.CORE_INVARIANT, "node " + n.id + " still has work after " + rounds + " Readies");
          return;
        }
        Ready rd = n.raw.ready();
        if (!handle(n, rd)) {
          return;
        }
        n.raw.advance(rd);
      }
    } catch (Violation v) {
      throw v;
    } catch (RuntimeException e) {
      w.corePanic(n, e);
    }
  }

  /** Handles one Ready; returns false if the node crashed before it was done. */
  private boolean handle(SimNode n, Ready rd) {
    w.stats.readies++;
    w.trace.add(w.now, "ready", n.id, rd);
    boolean becameLeader = observeSoftState(n, rd);
    persist(n, rd);
    if (becameLeader) {
      long term = n.raw.basicStatus().hardState().getTerm();
      w.elections.onLeader(n.id, term);
      w.logs.onLeader(n.id, term, n.storage);
    }
    if (bug == PlantedBug.SEND_BEFORE_PERSIST) {
      send(n, rd);
    }
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
    if (bug == PlantedBug.FORGET_VOTE && rd.hardState().getVote() != 0 && rd.hardState().getVote() != n.id) {
      w.crash(n, "crash right after voting", 1); // and restart at once, without the vote
      return false;
    }
    apply(n, rd);
    return n.isUp();
  }

  private boolean observeSoftState(SimNode n, Ready rd) {
    if (!rd.hasSoftState()) {
      return false;
    }
    boolean became = rd.softState().role() == StateType.LEADER && n.role != StateType.LEADER;
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
      w.checks.require(hs.getCommit() >= n.commitSeen, Check.COMMIT_MONOTONICITY, "node " + n.id
          + " reported commit " + hs.getCommit() + " after " + n.commitSeen);
      n.commitSeen = hs.getCommit();
      w.logs.onCommitReport(hs.getTerm(), hs.getCommit());
    }
    if (bug == PlantedBug.APPLY_UNCOMMITTED) {
      applyEarly(n, rd);
    }
    w.checks.require(n.commitSeen <= n.storage.lastIndex(), Check.COMMIT_BOUNDS, "node " + n.id + " commit "
        + n.commitSeen + " is beyond its last index " + n.storage.lastIndex());
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
    SnapshotMetadata meta = SnapshotMetadata.newBuilder().setIndex(applied).setTerm(n.storage.term(applied))
        .setConfState(n.sm.conf()).build();
    return m.toBuilder().setSnapshot(Snapshot.newBuilder().setMetadata(meta).setData(n.sm.snapshotData())).build();
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
      w.reads.onReadState(n.id, rs);
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
  }

  private void applyEntry(SimNode n, Entry e) {
    long index = e.getIndex();
    if (index <= n.sm.applied() && bug != PlantedBug.APPLY_TWICE) {
      w.history.onReapply(n.id, e);
      applyConfChange(n, e);
      return;
    }
    if (index != n.sm.applied() + 1) {
      w.checks.fail(Check.APPLY_ORDER, "node " + n.id + " applied index " + index + " after " + n.sm.applied());
    }
    smApply(n, e, applyConfChange(n, e));
  }

  /** Applies an entry to the state machine; the state machine may only apply committed entries. */
  private void smApply(SimNode n, Entry e, ConfState cs) {
    w.checks.require(e.getIndex() <= n.commitSeen, Check.COMMIT_BOUNDS, "node " + n.id + " applied index "
        + e.getIndex() + " beyond its commit index " + n.commitSeen);
    n.sm.apply(e, cs);
    if (w.history.onApply(n.id, e, n.sm.digest())) {
      w.onAcknowledged(e, cs);
    }
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
   * Applies a configuration change entry to the RawNode. Returns the new configuration, or null
   * if the entry is not a change or the change is refused: as etcd's server validates a change
   * against the membership when it applies it, a change whose context names the configuration
   * it was computed from is refused if another change was applied since (so concurrent changes
   * never compound), and a change raft finds invalid is refused. Every node decides alike.
   */
  private ConfState applyConfChange(SimNode n, Entry e) {
    try {
      ConfState cs;
      if (e.getType() == EntryType.EntryConfChange) {
        ConfChange cc = ConfChange.parseFrom(e.getData());
        cs = basedOnCurrent(n, cc.getContext()) ? n.raw.applyConfChange(cc) : null;
      } else if (e.getType() == EntryType.EntryConfChangeV2) {
        ConfChangeV2 cc = ConfChangeV2.parseFrom(e.getData());
        cs = basedOnCurrent(n, cc.getContext()) ? n.raw.applyConfChange(cc) : null;
      } else {
        return null;
      }
      if (cs == null) {
        w.stats.refusedConfChanges++;
      } else {
        n.confIndex = e.getIndex();
      }
      return cs;
    } catch (InvalidConfChangeException ex) {
      w.stats.refusedConfChanges++;
      return null;
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("undecodable configuration change at index " + e.getIndex(), ex);
    }
  }

  /** Whether a change's context is empty or names the configuration the node has now. */
  private static boolean basedOnCurrent(SimNode n, ByteString context) {
    return context.isEmpty() || context.asReadOnlyByteBuffer().getLong() == n.confIndex;
  }
}

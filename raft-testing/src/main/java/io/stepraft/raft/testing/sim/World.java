package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.ReadOnlyOption;
import io.stepraft.raft.Role;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simulated cluster, driven by one seeded random source and a logical clock: the same seed gives
 * the same run, event for event. A run has two phases: chaos (faults and client load) for a drawn
 * number of ticks, then settling (faults stop, the network heals, crashed nodes restart), which
 * must reach a converged cluster within bounded ticks. The checkers watch every Ready.
 */
final class World {
  /** Logical microticks per nominal tick. */
  static final int TICK_MICROS = 100;

  /** Microticks between two rounds of the fault injector and the clients. */
  static final int DRIVER_MICROS = TICK_MICROS / 4;

  final SimParams params;

  /** Whether the nodes run with asynchronous storage writes. */
  final boolean async;

  final SimOptions options;

  /** The application every node runs, and its clients. */
  final SimApplication<Object, Object> app;

  final SplittableRandom rng;
  final Stats stats = new Stats();
  final EventQueue events = new EventQueue();
  final Trace trace;
  final Checks checks;
  final History history;
  final ElectionChecker elections;
  final LogChecker logs;
  final DurabilityChecker durability;
  final ReadChecker reads;
  final Network net;
  final Host host;
  final Faults faults;
  final Workload load;

  /** Nodes by id; index 0 is unused. */
  final SimNode[] nodes;

  final Membership membership;

  /** The founding members, bootstrapped at the start (ids {@code 1..initialVoters}). */
  private final List<Peer> founders = new ArrayList<>();

  long now;

  /** When the settling phase began. */
  long healAt;

  /** How many ticks after the heal every member first followed one leader; -1 if never. */
  long leaderTicks = -1;

  long settleTicks = -1;

  private World(long seed, SimOptions options) {
    this.rng = new SplittableRandom(seed);
    SimParams p = options.tweak().apply(SimParams.draw(seed, rng, options.storm()));
    if (options.bug() != PlantedBug.NONE && p.cluster().asyncWrites()) {
      // The planted host bugs are written for the synchronous host loop.
      p = p.withCluster(p.cluster().withAsyncWrites(false));
    }
    this.params = p;
    this.app = options.application();
    this.async = p.cluster().asyncWrites();
    this.options = options;
    this.trace = new Trace(options.traceDepth(), options.verbose(), System.out);
    this.checks = new Checks(options.enabled());
    this.history = new History(checks);
    this.elections = new ElectionChecker(checks);
    this.logs = new LogChecker(checks, history);
    this.durability = new DurabilityChecker(checks, history, elections);
    this.reads = new ReadChecker(checks);
    this.net = new Network(this, params.cluster().nodes());
    this.host = new Host(this);
    this.faults = new Faults(this);
    this.load = new Workload(this);
    this.nodes = new SimNode[params.cluster().nodes() + 1];
    double skew = params.cluster().tickSkew();
    for (int id = 1; id < nodes.length; id++) {
      int period = (int) Math.round(TICK_MICROS * (1 + (rng.nextDouble() * 2 - 1) * skew));
      SimStorage sut = options.storage() == null ? null : options.storage().create(seed, id);
      nodes[id] =
          new SimNode(
              id,
              new SimDisk(id, durability, options.bug(), sut, checks),
              period,
              new StateMachine(app.newStateMachine()));
    }
    durability.setNodes(nodes, params.cluster().initialVoters());
    this.membership = new Membership(this);
  }

  /** Runs the simulation of {@code seed}; never throws for a violation, which the result holds. */
  static RunResult run(long seed, SimOptions options) {
    World w = new World(seed, options);
    if (options.verbose()) {
      System.out.println("seed " + seed + ": " + w.params);
    }
    Violation v = null;
    try {
      w.simulate();
    } catch (Violation e) {
      v = e;
    } catch (RuntimeException e) {
      // Not a broken Raft property but a broken test or application: reported with the seed and
      // the replay command all the same.
      w.trace.add(w.now, "host exception", 0, e.toString());
      v = new Violation(Check.HOST_EXCEPTION, e.toString(), e);
    }
    return new RunResult(
        seed,
        w.params,
        v,
        w.stats,
        w.now / TICK_MICROS,
        w.leaderTicks,
        w.settleTicks,
        w.elections.leaderTerms(),
        w.reads.completed(),
        w.trace.fingerprint(),
        w.trace.tail(),
        w.checks.suppressed(),
        options.replayCommand(seed));
  }

  private void simulate() {
    for (int id = 1; id <= params.cluster().initialVoters(); id++) {
      founders.add(Peer.of(id));
    }
    for (int id = 1; id <= params.cluster().initialVoters(); id++) {
      startFresh(nodes[id], founders);
    }
    events.schedule(DRIVER_MICROS, Event.Kind.DRIVER, 0, 0, 0, false, null);
    runUntil((long) params.faults().chaosTicks() * TICK_MICROS);
    SimNode leader = Liveness.settleAndServe(this);
    if (leader != null) {
      durability.checkFinal(leader);
    }
    load.checkLinearizable();
  }

  /** Processes every event up to time {@code t}. */
  void runUntil(long t) {
    while (events.nextTime() <= t) {
      Event e = events.poll();
      now = e.time();
      stats.steps++;
      dispatch(e);
    }
    now = t;
  }

  private void dispatch(Event e) {
    switch (e.kind()) {
      case TICK -> {
        SimNode n = nodes[(int) e.node()];
        if (n.epoch == e.epoch() && n.isUp()) {
          host.input(n, () -> n.raw.tick());
          if (n.epoch == e.epoch() && n.isUp()) {
            scheduleTick(n, n.tickMicros);
          }
        }
      }
      case DELIVER -> net.deliver(e.msg(), e.ok());
      case DRIVER -> {
        membership.retireRemoved();
        if (faults.active()) {
          faults.round();
          load.round();
        } else {
          load.settleRound();
        }
        events.schedule(now + DRIVER_MICROS, Event.Kind.DRIVER, 0, 0, 0, false, null);
      }
      case RESTART -> {
        SimNode n = nodes[(int) e.node()];
        if (n.status == SimNode.Status.CRASHED && n.epoch == e.epoch()) {
          restart(n);
        }
      }
      case RESUME -> {
        SimNode n = nodes[(int) e.node()];
        if (n.status == SimNode.Status.PAUSED && n.epoch == e.epoch()) {
          resume(n);
        }
      }
      case SNAP_STATUS -> {
        SimNode n = nodes[(int) e.node()];
        if (n.isUp()) {
          SnapshotStatus s = e.ok() ? SnapshotStatus.FINISH : SnapshotStatus.FAILURE;
          host.input(n, () -> n.raw.reportSnapshot(e.arg(), s));
        } else if (n.status == SimNode.Status.PAUSED) {
          // The transport's callback runs once the process runs again; a leader that never
          // hears the outcome would wait for this follower forever.
          events.schedule(
              now + TICK_MICROS, Event.Kind.SNAP_STATUS, e.node(), 0, e.arg(), e.ok(), null);
        }
      }
      case APPEND_WORK, APPLY_WORK -> host.storageWork(nodes[(int) e.node()], e);
      case READY, READY_DONE -> host.onReadyEvent(nodes[(int) e.node()], e);
      case UNREACHABLE -> {
        SimNode n = nodes[(int) e.node()];
        if (n.isUp()) {
          host.input(n, () -> n.raw.reportUnreachable(e.arg()));
        }
      }
    }
  }

  private void scheduleTick(SimNode n, long delay) {
    events.schedule(now + delay, Event.Kind.TICK, n.id, n.epoch, 0, false, null);
  }

  // ---------------------------------------------------------------- node lifecycle

  private void startFresh(SimNode n, List<Peer> bootstrap) {
    if (n.status == SimNode.Status.NEW) {
      n.disk.openNew();
    }
    start(n, new MemoryStorage(), 0);
    if (bootstrap != null && n.isUp()) {
      host.input(n, () -> n.raw.bootstrap(bootstrap));
    }
  }

  private void start(SimNode n, MemoryStorage storage, long applied) {
    n.storage = storage;
    n.confIndex = StateMachine.confIndexOf(storage.snapshot());
    n.snapshotFloor = storage.snapshot().getMetadata().getIndex();
    try {
      n.raw = options.nodeFactory().apply(config(n.id, storage, applied));
    } catch (RuntimeException e) {
      n.status = SimNode.Status.CRASHED;
      corePanic(n, e);
      return;
    }
    n.status = SimNode.Status.UP;
    n.epoch++;
    n.starts++;
    n.role = Role.FOLLOWER;
    n.commitSeen = n.raw.basicStatus().hardState().getCommit();
    trace.add(now, "start", n.id, n.commitSeen);
    scheduleTick(n, 1 + rng.nextInt(n.tickMicros));
    host.drive(n);
  }

  private Config config(long id, MemoryStorage storage, long applied) {
    SimParams.ClusterParams c = params.cluster();
    return Config.builder()
        .id(id)
        .storage(storage)
        .applied(applied)
        .electionTicks(c.electionTicks())
        .heartbeatTicks(c.heartbeatTicks())
        .preVote(c.preVote())
        .checkQuorum(c.checkQuorum())
        .stepDownOnRemoval(c.stepDownOnRemoval())
        .disableProposalForwarding(c.disableProposalForwarding())
        .maxSizePerMsgBytes(c.maxSizePerMsgBytes())
        .maxInflightMsgs(c.maxInflightMsgs())
        .maxInflightBytes(c.maxInflightBytes())
        .maxUncommittedEntriesSizeBytes(c.maxUncommittedBytes())
        .maxCommittedSizePerReadyBytes(c.maxCommittedPerReadyBytes())
        .asyncStorageWrites(c.asyncWrites())
        .readOnlyOption(c.leaseReads() ? ReadOnlyOption.LEASE_BASED : ReadOnlyOption.SAFE)
        .randomSeed(rng.nextLong())
        .build();
  }

  /**
   * Restarts a node from its disk. A state machine behind the disk's snapshot (the crash came after
   * the snapshot was synced but before it was applied) is restored from it first. The node restarts
   * with {@code applied} at its snapshot, so raft hands out the entries after it again.
   */
  void restart(SimNode n) {
    MemoryStorage storage = n.disk.load();
    if (SimDisks.acknowledgedNothing(storage, storage.hardState())) {
      if (storage.lastIndex() > 0) {
        trace.add(now, "first write was torn: restart empty", n.id, storage.lastIndex());
      }
      n.disk.wipe();
      if (rebootstraps(n)) {
        trace.add(now, "bootstrap again (nothing was persisted)", n.id, null);
        startFresh(n, founders);
        return;
      }
      storage = new MemoryStorage();
    }
    Snapshot snap = storage.snapshot();
    long snapIndex = snap.getMetadata().getIndex();
    if (snapIndex > n.sm.applied()) {
      host.applySnapshot(n, snap);
    }
    start(n, storage, snapIndex);
    if (n.isUp()) {
      checks.require(
          n.commitSeen >= n.disk.maxSyncedCommit(),
          Check.COMMIT_MONOTONICITY,
          "node "
              + n.id
              + " restarted with commit "
              + n.commitSeen
              + " below the commit "
              + n.disk.maxSyncedCommit()
              + " its disk had synced");
    }
  }

  /**
   * Whether a founding member that acknowledged nothing (see {@link SimDisks#acknowledgedNothing})
   * restarts by bootstrapping again, as a host does that finds its storage empty. Only while the
   * founding configuration is still the latest (a host told it was removed would not; the simulator
   * knows from the history what an operator would).
   */
  private boolean rebootstraps(SimNode n) {
    return n.id <= founders.size() && history.latestConfigIndex() <= founders.size();
  }

  /** Crashes a node: its unsynced writes are lost or torn, and it restarts after a while. */
  void crash(SimNode n, String why) {
    crash(n, why, faults.downtime());
  }

  /** Crashes a node, to restart {@code downtimeMicros} later. */
  void crash(SimNode n, String why, long downtimeMicros) {
    boolean torn = faults.torn();
    int lost;
    boolean refused = false;
    if (n.disk.hasStorage()) {
      boolean damage =
          options.corruptionPerCrash() > 0
              && lostMember() == null
              && configurationSettled()
              && rng.nextDouble() < options.corruptionPerCrash();
      SimDisk.StorageCrash c = n.disk.crashStorage(rng, torn, damage);
      lost = c.lostRecords();
      refused = c.refused();
    } else {
      lost = n.disk.crash(rng, torn);
    }
    stats.crashes++;
    stats.tornCrashes += torn ? 1 : 0;
    stats.lostRecords += lost;
    n.kill(SimNode.Status.CRASHED);
    trace.add(now, why + (torn ? " (torn write)" : ""), n.id, lost + " unsynced records lost");
    if (refused) {
      lose(n);
      return;
    }
    events.schedule(now + downtimeMicros, Event.Kind.RESTART, n.id, n.epoch, 0, false, null);
  }

  /**
   * The node's storage refused to start over damaged data: the operator takes it out of service for
   * good and wipes it; {@link Workload} then replaces it by a new member.
   */
  private void lose(SimNode n) {
    n.disk.wipe();
    n.status = SimNode.Status.LOST;
    stats.nodesLost++;
    trace.add(now, "storage refused to open over damage; node lost, to be replaced", n.id, null);
  }

  /**
   * Whether no membership change is under way: the latest configuration is not joint and every node
   * that may still run has applied it. Damage is injected only then: a node lost while a removal is
   * committed but not yet applied everywhere can leave no quorum able to elect (the removed node,
   * whose longer log the others need, no longer campaigns), which is two failures, beyond what Raft
   * tolerates.
   */
  private boolean configurationSettled() {
    ConfState cs = history.latestConfig();
    if (cs == null || cs.getVotersOutgoingCount() > 0) {
      return false;
    }
    long index = history.latestConfigIndex();
    for (int id = 1; id < nodes.length; id++) {
      SimNode n = nodes[id];
      boolean mayRun =
          n.status != SimNode.Status.NEW && n.status != SimNode.Status.STOPPED && !n.isLost();
      if (mayRun && n.sm.applied() < index) {
        return false;
      }
    }
    return true;
  }

  /**
   * A node lost to damaged storage that is still a member of the latest configuration, or null: at
   * most one is lost at a time, so that a quorum of every configuration can still be formed.
   */
  SimNode lostMember() {
    ConfState cs = history.latestConfig();
    for (int id = 1; id < nodes.length; id++) {
      if (nodes[id].isLost() && (cs == null || isMember(cs, id))) {
        return nodes[id];
      }
    }
    return null;
  }

  void pause(SimNode n, long micros) {
    stats.pauses++;
    n.status = SimNode.Status.PAUSED;
    n.epoch++;
    n.readyScheduled = false; // its event is stale now
    trace.add(now, "pause", n.id, micros);
    events.schedule(now + micros, Event.Kind.RESUME, n.id, n.epoch, 0, false, null);
  }

  void resume(SimNode n) {
    n.status = SimNode.Status.UP;
    n.epoch++;
    if (n.outstanding != null) {
      // The Ready it held when it paused is finished first.
      events.schedule(now + 1, Event.Kind.READY_DONE, n.id, n.epoch, 0, false, null);
    }
    trace.add(now, "resume", n.id, n.inbox.size());
    scheduleTick(n, 1 + rng.nextInt(n.tickMicros));
    while (n.isUp() && !n.inbox.isEmpty()) {
      Message m = n.inbox.pollFirst();
      host.input(n, () -> n.raw.step(m));
    }
  }

  /** Shuts down a removed node, after syncing its disk. */
  void stop(SimNode n) {
    if (n.status == SimNode.Status.NEW || n.status == SimNode.Status.STOPPED || n.isLost()) {
      return;
    }
    if (n.isRunning()) {
      n.disk.fsync();
    }
    if (n.disk.hasStorage() && n.status != SimNode.Status.CRASHED) {
      n.disk.crashStorage(rng, false, false); // a clean stop: all was synced
    }
    n.kill(SimNode.Status.STOPPED);
    trace.add(now, "stop (removed)", n.id, null);
  }

  /** Starts a node just added, or restarts one that was removed and is added again. */
  void ensureRunning(SimNode n) {
    if (n.status == SimNode.Status.NEW) {
      startFresh(n, null);
    } else if (n.status == SimNode.Status.STOPPED) {
      restart(n);
    }
  }

  /**
   * An unexpected exception from the core: a violation, unless panics count as crashes (then the
   * process dies and restarts from its disk, as a real one would).
   */
  void corePanic(SimNode n, RuntimeException e) {
    trace.add(now, "core exception", n.id, e.toString());
    if (!options.panicIsCrash() && checks.enabled(Check.CORE_INVARIANT)) {
      checks.fail(Check.CORE_INVARIANT, "node " + n.id + ": " + e, e);
    }
    if (n.isRunning() || n.status == SimNode.Status.CRASHED) {
      if (n.isRunning()) {
        crash(n, "panic");
      } else {
        events.schedule(now + faults.downtime(), Event.Kind.RESTART, n.id, n.epoch, 0, false, null);
      }
    }
  }

  /** The first application of {@code e} anywhere: the client learns its write is committed. */
  void onAcknowledged(Entry e, ConfState cs, ByteString output) {
    durability.onAck(e.getIndex(), e.getTerm());
    if (e.getType() == EntryType.EntryNormal) {
      if (!e.getData().isEmpty()) {
        load.onAck(e.getData(), output);
      }
      return;
    }
    if (cs != null) {
      ConfState prev = history.latestConfig();
      history.onConfig(e.getIndex(), cs);
      stats.configsApplied++;
      trace.add(
          now,
          "configuration",
          0,
          cs.getVotersList()
              + " out "
              + cs.getVotersOutgoingList()
              + " learners "
              + cs.getLearnersList());
      membership.onCommitted(prev, cs, e.getIndex());
    }
  }

  /**
   * Whether node {@code id} is a member of {@code cs} that takes part: not one lost to damaged
   * storage, which the operator is replacing and which never runs again.
   */
  boolean isActiveMember(ConfState cs, int id) {
    return isMember(cs, id) && !nodes[id].isLost();
  }

  static boolean isMember(ConfState cs, long id) {
    return cs.getVotersList().contains(id)
        || cs.getLearnersList().contains(id)
        || cs.getVotersOutgoingList().contains(id)
        || cs.getLearnersNextList().contains(id);
  }

  /** The running node that believes it leads in the highest term, or null. */
  SimNode leader() {
    SimNode best = null;
    long bestTerm = -1;
    for (int id = 1; id < nodes.length; id++) {
      SimNode n = nodes[id];
      if (n.isUp() && n.role == Role.LEADER) {
        long t = n.raw.basicStatus().hardState().getTerm();
        if (t > bestTerm) {
          best = n;
          bestTerm = t;
        }
      }
    }
    return best;
  }
}

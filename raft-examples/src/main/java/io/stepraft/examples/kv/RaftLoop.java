package io.stepraft.examples.kv;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.RaftListener;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.SoftState;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives the {@link RawNode}: it ticks, steps what the transport received, runs
 * the client requests queued by {@link KvNode}, and handles each {@link Ready} in the documented
 * order (save, send, apply, advance). Everything raft-related is touched only here.
 */
final class RaftLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);

  /** Tasks (received messages, client requests) waiting for the loop; more are refused. */
  static final int INBOX_MAX = 16_384;

  /** Tasks run between two looks at the clock and the Ready. */
  private static final int TASKS_PER_ITERATION_MAX = 1024;

  private final NodeSettings settings;
  private final KvStorage storage;
  private final KvStateMachine sm = new KvStateMachine();
  private final Requests requests = new Requests();
  private final PeerTransport transport;
  private final NodeMetrics metrics;
  private final Consumer<Throwable> onFatal;
  private final ArrayBlockingQueue<Consumer<RaftLoop>> inbox = new ArrayBlockingQueue<>(INBOX_MAX);
  private final RawNode node;
  private final Applier applier;
  private long nextRequestId = new SecureRandom().nextLong() & Long.MAX_VALUE;
  private long snapshotIndex;
  private long ticks;
  private SoftState soft = new SoftState(0, Role.FOLLOWER);
  private boolean quotaAlarm;
  private volatile boolean running = true;
  private volatile NodeView view;

  RaftLoop(
      NodeSettings settings,
      KvStorage storage,
      PeerTransport transport,
      NodeMetrics metrics,
      Consumer<Throwable> onFatal) {
    this.settings = settings;
    this.storage = storage;
    this.transport = transport;
    this.metrics = metrics;
    this.onFatal = onFatal;
    this.view = NodeView.starting(settings.id());
    MemoryStorage ms = storage.raftStorage();
    Snapshot snap = ms.snapshot();
    sm.restore(storage.snapshotData());
    snapshotIndex = snap.getMetadata().getIndex();
    Config config =
        Config.builder()
            .id(settings.id())
            .electionTicks(settings.electionTicks())
            .heartbeatTicks(settings.heartbeatTicks())
            .checkQuorum(true)
            .preVote(true)
            .stepDownOnRemoval(true)
            .storage(ms)
            .applied(snapshotIndex)
            .loggerName("io.stepraft.raft.node" + settings.id())
            .listener(new Listener())
            .build();
    node = new RawNode(config);
    soft = node.basicStatus().softState();
    applier =
        new Applier(node, sm, requests, metrics, snap.getMetadata().getConfState(), snapshotIndex);
    // A new cluster founded from a backup: the backup is the state below the log's first entry
    // until the first snapshot holds it (also after a crash before that snapshot).
    boolean fromBackup = settings.restore() != null && snapshotIndex == 0;
    if (fromBackup) {
      sm.restoreBackup(settings.restore().data());
    }
    if (storage.isEmpty() && !settings.join()) {
      List<Peer> peers = new ArrayList<>();
      new TreeMap<>(settings.peers())
          .forEach(
              (id, a) ->
                  peers.add(
                      new Peer(
                          id, new MemberContext(0, Addresses.format(a)).encode().toByteArray())));
      node.bootstrap(peers);
      log.info(
          "bootstrapped a new cluster with members {}", new TreeMap<>(settings.peers()).keySet());
      if (fromBackup) {
        sealBackup();
      }
    } else if (storage.isEmpty()) {
      log.info("new node joining a running cluster: waiting for the leader to contact it");
    } else {
      log.info(
          "restarted from storage: snapshot at {}, last index {}, {} keys",
          snapshotIndex,
          ms.lastIndex(),
          sm.size());
    }
    transport.setPeers(peerAddresses());
    publishView();
  }

  /**
   * Persists and applies the founding configuration, then snapshots the restored state and compacts
   * the log up to it: every member, including one added later, starts from the backup.
   */
  private void sealBackup() {
    handleReadies();
    long applied = applier.applied();
    if (snapshotIndex < applied) {
      storage.createSnapshot(applied, applier.confState(), sm.snapshot());
      snapshotIndex = applied;
    }
    if (applied >= storage.raftStorage().firstIndex()) {
      storage.compact(applied);
    }
    log.info(
        "restored {} keys from a backup taken at index {}; snapshot at {}",
        sm.size(),
        settings.restore().appliedIndex(),
        applied);
  }

  // ---- called from other threads ----

  /** Queues a task for the raft thread; false if the inbox is full or the loop stopped. */
  boolean submit(Consumer<RaftLoop> task) {
    return running && inbox.offer(task);
  }

  NodeView view() {
    return view;
  }

  void stop() {
    running = false;
  }

  // ---- the loop ----

  @Override
  public void run() {
    long tickNanos = TimeUnit.MILLISECONDS.toNanos(settings.tickMs());
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (running) {
        long wait = nextTick - System.nanoTime();
        Consumer<RaftLoop> task = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
        for (int n = 0; task != null; n++) {
          runTask(task);
          task = n < TASKS_PER_ITERATION_MAX ? inbox.poll() : null;
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          node.tick();
          ticks++;
          requests.expire(ticks);
          // After a pause (GC, SIGSTOP) tick once, not once per missed interval.
          nextTick = now - nextTick > tickNanos ? now + tickNanos : nextTick + tickNanos;
        }
        handleReadies();
        publishView();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("raft loop failed, stopping the node: {}", e.toString(), e);
      running = false;
      requests.failAll("node stopped: " + e.getMessage());
      publishView();
      onFatal.accept(e);
      return;
    }
    running = false;
    requests.failAll("node is shutting down");
    publishView();
  }

  private void runTask(Consumer<RaftLoop> task) {
    try {
      task.accept(this);
    } catch (RaftException e) {
      log.debug("input refused: {}", e.getMessage());
    }
  }

  private void handleReadies() {
    while (node.hasReady()) {
      Ready rd = node.ready();
      long start = System.nanoTime();
      storage.save(rd); // 1. persist (fsync when rd.mustSync())
      metrics.saveSeconds((System.nanoTime() - start) / 1e9);
      transport.send(rd.messages()); // 2. only then send
      boolean restored = false; // 3. apply, in order
      if (rd.hasSnapshot()) {
        applier.applySnapshot(rd.snapshot());
        snapshotIndex = Math.max(snapshotIndex, rd.snapshot().getMetadata().getIndex());
        restored = true;
      }
      boolean confChanged = false;
      for (Entry e : rd.committedEntries()) {
        confChanged |= applier.apply(e);
      }
      if (restored || confChanged) {
        transport.setPeers(peerAddresses());
      }
      for (ReadState rs : rd.readStates()) {
        requests.readConfirmed(rs.requestContext(), rs.index());
      }
      if (rd.softState() != null) {
        softStateChanged(rd.softState());
      }
      node.advance(rd); // 4. advance
      requests.serveReads(applier.applied(), sm);
      maybeSnapshot(confChanged);
    }
  }

  private void softStateChanged(SoftState s) {
    if (s.lead() != soft.lead()) {
      log.info("leader is now {} (this node: {})", s.lead() == 0 ? "unknown" : s.lead(), s.role());
      requests.leaderChanged(s.lead());
    }
    soft = s;
  }

  /**
   * Every {@code snapshotEntries} applied entries: snapshot, then compact keeping a margin. Also
   * right after a configuration change ({@code confChanged}): a node added later may need a
   * snapshot (when the entries it lacks are compacted), and raft refuses one whose configuration
   * does not hold the node itself.
   */
  private void maybeSnapshot(boolean confChanged) {
    long applied = applier.applied();
    if (applied == snapshotIndex
        || (!confChanged && applied - snapshotIndex < settings.snapshotEntries())) {
      return;
    }
    storage.createSnapshot(applied, applier.confState(), sm.snapshot());
    snapshotIndex = applied;
    metrics.snapshotTaken();
    long compactIndex = applied - settings.catchUpEntries();
    if (compactIndex >= storage.raftStorage().firstIndex()) {
      storage.compact(compactIndex);
    }
    log.info("snapshot at {}, log compacted up to {}", applied, compactIndex);
  }

  private void publishView() {
    HardState hs = node.basicStatus().hardState();
    ConfState cs = applier.confState();
    long id = settings.id();
    boolean member = cs.getVotersList().contains(id) || cs.getLearnersList().contains(id);
    view =
        new NodeView(
            id,
            soft.role(),
            soft.lead(),
            hs.getTerm(),
            hs.getCommit(),
            applier.applied(),
            member,
            System.nanoTime(),
            running);
    metrics.update(view);
  }

  /** The members' peer addresses: as learnt from the log, else from the command line. */
  private Map<Long, InetSocketAddress> peerAddresses() {
    if (sm.members().isEmpty()) {
      return settings.peers();
    }
    Map<Long, InetSocketAddress> peers = new TreeMap<>();
    sm.members().forEach((id, a) -> peers.put(id, Addresses.parse("member " + id, a)));
    return peers;
  }

  // ---- accessors for tasks (raft thread only) ----

  RawNode node() {
    return node;
  }

  KvStateMachine stateMachine() {
    return sm;
  }

  Requests requests() {
    return requests;
  }

  ConfState confState() {
    return applier.confState();
  }

  SoftState softState() {
    return soft;
  }

  long appliedIndex() {
    return applier.applied();
  }

  /** Whether writes are refused because the data passed {@code --quota-bytes}. */
  boolean quotaAlarm() {
    return quotaAlarm;
  }

  void setQuotaAlarm(boolean on) {
    if (on != quotaAlarm) {
      log.warn(on ? "quota alarm raised: writes are refused" : "quota alarm cleared");
    }
    quotaAlarm = on;
  }

  long deadlineTick() {
    return ticks + settings.requestTimeoutTicks();
  }

  long newRequestId() {
    nextRequestId = (nextRequestId + 1) & Long.MAX_VALUE;
    return nextRequestId == 0 ? newRequestId() : nextRequestId;
  }

  NodeSettings settings() {
    return settings;
  }

  PeerTransport transport() {
    return transport;
  }

  /** Steps a message from a peer; malformed or stale input is dropped (raft tolerates loss). */
  void stepMessage(Message m) {
    try {
      node.step(m);
    } catch (RaftException e) {
      log.debug("dropped message {} from {}: {}", m.getType(), m.getFrom(), e.getMessage());
    }
  }

  private final class Listener implements RaftListener {
    @Override
    public void readIndexDropped(long nodeId, byte[] requestContext) {
      requests.readDropped(requestContext, "leadership changed before the read was confirmed");
    }
  }
}

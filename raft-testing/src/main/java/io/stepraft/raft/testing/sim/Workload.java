package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.lincheck.Budget;
import io.stepraft.raft.testing.lincheck.CheckResult;
import io.stepraft.raft.testing.lincheck.HistoryRecorder;
import io.stepraft.raft.testing.lincheck.LinearizabilityChecker;
import io.stepraft.raft.testing.lincheck.Model;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The clients: they propose unique payloads, issue ReadIndex reads, change the membership, transfer
 * leadership, and have nodes snapshot and compact their logs. A proposal is pending until it is
 * acknowledged (applied by some node); a pending proposal is proposed again with the same payload
 * after a timeout, as a client retries, so every proposal eventually resolves.
 */
final class Workload {
  /** How long a client waits before it proposes again, in election timeouts. */
  static final int RETRY_ELECTION_TIMEOUTS = 3;

  /** The fewest applied entries a node compacts at once. */
  static final int COMPACT_GAP_MIN = 8;

  /**
   * The fewest voters a membership change leaves. Changes are serialized (see {@code
   * Host.applyConfChange}), so no configuration has fewer: with three or more voters in each half
   * of every configuration, the members can always form a quorum of a configuration they still hold
   * after a node's removal, whichever they hold.
   */
  static final int VOTERS_MIN = 3;

  /** On average, driver rounds between two proposals that replace a node lost to damage. */
  private static final int REPLACE_EVERY_ROUNDS = 8;

  /**
   * The most proposals per driver round in the fault-free tail: a load every configuration drawn
   * can serve, so that a tail that does not converge is a liveness failure, not an overload.
   */
  static final double TAIL_PROPOSE_RATE_MAX = 0.1;

  /** What the linearizability check of one run may spend before it answers "unknown". */
  static final Budget LINEARIZABILITY_BUDGET = Budget.steps(2_000_000);

  private final World w;
  private final SimParams.LoadParams p;
  private final SplittableRandom rng;
  private final long retryMicros;

  /** A write proposed and not yet acknowledged. */
  private static final class Pending {
    final Object command;
    final ByteString entryData;
    final HistoryRecorder.Call<Object, Object> call;
    long lastAttempt;

    Pending(
        Object command, ByteString entryData, HistoryRecorder.Call<Object, Object> call, long at) {
      this.command = command;
      this.entryData = entryData;
      this.call = call;
      this.lastAttempt = at;
    }
  }

  /** A read started, for serving its answer and completing its operation. */
  private record Read(Object query, HistoryRecorder.Call<Object, Object> call) {}

  /** Writes proposed and not yet acknowledged, by request id, oldest attempt first. */
  private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();

  /** Reads started, by context. */
  private final Map<String, Read> readsByContext = new HashMap<>();

  /** Every client operation, with invocation and completion in simulated time. */
  private final HistoryRecorder<Object, Object> clients;

  private long proposalSeq;

  /** Whether the fault-free tail is on: proposals and reads, no faults and no other changes. */
  private boolean tail;

  private long readSeq;

  Workload(World w) {
    this.w = w;
    this.p = w.params.load();
    this.rng = w.rng;
    this.retryMicros =
        (long) RETRY_ELECTION_TIMEOUTS * w.params.cluster().electionTicks() * World.TICK_MICROS;
    this.clients = new HistoryRecorder<>(() -> w.now);
  }

  /** One driver round of the chaos phase. */
  void round() {
    proposeAndRead(p.proposeRate());
    if (rng.nextDouble() < p.confChangeRate()) {
      changeMembership();
    }
    if (rng.nextDouble() < p.transferRate()) {
      transfer();
    }
    if (rng.nextDouble() < p.compactRate()) {
      compact(w.nodes[1 + rng.nextInt(w.nodes.length - 1)]);
    }
    if (rng.nextDouble() < p.transferRate()) {
      forgetLeader();
    }
    retry();
    replaceLost();
  }

  /**
   * One driver round after the faults stopped: only retries, and leaving an explicit joint config.
   */
  void settleRound() {
    if (tail) {
      proposeAndRead(Math.min(p.proposeRate(), TAIL_PROPOSE_RATE_MAX));
    }
    retry();
    ConfState cs = w.history.latestConfig();
    if (cs != null
        && cs.getVotersOutgoingCount() > 0
        && !cs.getAutoLeave()
        && rng.nextInt(40) == 0) {
      proposeConf(ConfChangeV2.getDefaultInstance());
    }
    replaceLost();
  }

  /**
   * The operator's side of a node lost to damaged storage, as etcd's runbook has it: the node is
   * removed and a new member (a spare, never a member before) takes its place, through a joint
   * configuration; without a spare the node is only removed, if enough voters remain. Proposed now
   * and then until the latest configuration no longer holds the lost node.
   */
  private void replaceLost() {
    SimNode lost = w.lostMember();
    if (lost == null || rng.nextInt(REPLACE_EVERY_ROUNDS) != 0) {
      return;
    }
    ConfState cs = w.history.latestConfig();
    if (cs.getVotersOutgoingCount() > 0) {
      if (!cs.getAutoLeave()) {
        proposeConf(ConfChangeV2.getDefaultInstance());
      }
      return;
    }
    List<Long> spares = spares(cs);
    if (cs.getLearnersList().contains(lost.id)) {
      proposeConf(single(ConfChangeType.ConfChangeRemoveNode, lost.id));
    } else if (!spares.isEmpty()) {
      proposeConf(replaceVoter(any(spares), lost.id));
    } else if (cs.getVotersCount() > VOTERS_MIN) {
      proposeConf(single(ConfChangeType.ConfChangeRemoveNode, lost.id));
    }
  }

  /** Starts the fault-free tail: clients propose and read again, without changing anything else. */
  void startTail() {
    tail = true;
  }

  /** Ends the fault-free tail: only retries from now on. */
  void endTail() {
    tail = false;
  }

  /** New proposals at {@code proposeRate} and reads at the run's rate. */
  private void proposeAndRead(double proposeRate) {
    if (rng.nextDouble() < proposeRate && pending.size() < p.maxPendingProposals()) {
      long id = ++proposalSeq;
      Object command = w.app.nextCommand(rng);
      ByteString data = Envelope.wrap(id, w.app.encode(command));
      w.stats.proposals++;
      Pending write = new Pending(command, data, clients.invoke(id, command), w.now);
      if (propose(id, write)) {
        pending.put(id, write);
      } else {
        // Refused before it reached any log (no node up, no leader known, a limit): it never
        // takes effect.
        w.stats.droppedProposals++;
        write.call.fail();
      }
    }
    if (rng.nextDouble() < p.readRate()) {
      read();
    }
  }

  int pendingCount() {
    return pending.size();
  }

  /** A write was applied for the first time, with this output: its client learns it. */
  void onAck(ByteString data, ByteString output) {
    Pending write = pending.remove(Envelope.id(data));
    if (write != null) {
      w.stats.acknowledged++;
      write.call.ok(w.app.decodeOutput(write.command, output));
    }
  }

  /** Node {@code n} applied the read index of {@code rs}: it serves the read from its state. */
  void serve(SimNode n, ReadState rs) {
    Read read = readsByContext.remove(new String(rs.requestContext(), StandardCharsets.UTF_8));
    if (read == null || read.query() == null) {
      return; // answered already (a duplicated read is answered per copy), or nothing to read
    }
    read.call().ok(w.app.decodeOutput(read.query(), n.sm.read(w.app.encode(read.query()))));
  }

  /**
   * At the end of a run: the history of client operations (writes that never resolved may or may
   * not have taken effect) must be linearizable under the application's model.
   */
  void checkLinearizable() {
    Model<?, Object, Object> model = w.app.model();
    if (model == null) {
      return;
    }
    // A read that was never answered took no effect and showed nothing: it leaves the history.
    for (Read read : readsByContext.values()) {
      if (read.call() != null) {
        read.call().fail();
      }
    }
    readsByContext.clear();
    CheckResult<Object, Object> result =
        LinearizabilityChecker.check(model, clients.history(), LINEARIZABILITY_BUDGET);
    switch (result.outcome()) {
      case LINEARIZABLE -> w.stats.linearizable++;
      case UNKNOWN -> w.stats.linearizabilityUnknown++;
      case NOT_LINEARIZABLE -> w.checks.fail(Check.LINEARIZABILITY, result.report());
    }
  }

  private void retry() {
    Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
    List<Map.Entry<Long, Pending>> again = new ArrayList<>();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      if (w.now - e.getValue().lastAttempt < retryMicros) {
        break;
      }
      it.remove();
      again.add(e);
    }
    for (Map.Entry<Long, Pending> e : again) {
      w.stats.retries++;
      propose(e.getKey(), e.getValue());
      e.getValue().lastAttempt = w.now;
      pending.put(e.getKey(), e.getValue());
    }
  }

  private boolean propose(long id, Pending write) {
    SimNode n = target();
    if (n == null) {
      return false;
    }
    w.trace.add(w.now, "propose", n.id, "#" + id + " " + write.command);
    return w.host.input(n, () -> n.raw.propose(write.entryData));
  }

  private void read() {
    SimNode n = target();
    if (n == null) {
      return;
    }
    String ctx = "r" + (++readSeq);
    byte[] bytes = ctx.getBytes(StandardCharsets.UTF_8);
    Object query = w.app.nextQuery(rng);
    w.stats.reads++;
    w.reads.start(ctx, n.id, w.history.size());
    readsByContext.put(
        ctx, new Read(query, query == null ? null : clients.invoke(-readSeq, query)));
    w.trace.add(w.now, "read", n.id, ctx + " " + query);
    if (w.options.bug() == PlantedBug.STALE_READ) {
      w.host.onReadState(n, new ReadState(n.sm.applied(), bytes));
      return;
    }
    if (!w.host.input(n, () -> n.raw.readIndex(bytes))) {
      w.reads.cancel(ctx);
      Read refused = readsByContext.remove(ctx);
      if (refused.call() != null) {
        refused.call().fail();
      }
    }
  }

  private void transfer() {
    SimNode leader = w.leader();
    ConfState cs = w.history.latestConfig();
    if (leader == null || cs == null || cs.getVotersCount() == 0) {
      return;
    }
    long to = cs.getVoters(rng.nextInt(cs.getVotersCount()));
    SimNode via = rng.nextBoolean() ? leader : target();
    if (via == null) {
      return;
    }
    w.stats.transfers++;
    w.trace.add(w.now, "transfer leader to " + to, via.id, null);
    w.host.input(via, () -> via.raw.transferLeader(to));
  }

  /** A host that believes the leader is gone tells a follower to forget it. */
  private void forgetLeader() {
    SimNode n = target();
    if (n != null && n.role != Role.LEADER) {
      w.trace.add(w.now, "forget leader", n.id, null);
      w.host.input(n, () -> n.raw.forgetLeader());
    }
  }

  /** Snapshots a node's applied state and drops some of its log, on its storage and its disk. */
  void compact(SimNode n) {
    if (!n.isUp()) {
      return;
    }
    long applied = n.sm.applied();
    long snapIndex = n.storage.snapshot().getMetadata().getIndex();
    int gapMin = w.params.storm() == SimParams.Storm.SNAPSHOTS ? 2 : COMPACT_GAP_MIN;
    if (applied - snapIndex < gapMin || applied != n.raw.basicStatus().applied()) {
      return;
    }
    long compactIndex = Math.max(n.storage.firstIndex(), applied - rng.nextInt(gapMin));
    w.stats.compactions++;
    w.trace.add(w.now, "compact at " + compactIndex + ", snapshot", n.id, applied);
    Snapshot s = n.storage.createSnapshot(applied, n.sm.conf(), n.sm.snapshotData());
    n.storage.compact(compactIndex);
    n.disk.compact(applied, n.sm.conf(), s.getData(), compactIndex);
  }

  // ---------------------------------------------------------------- membership

  private void changeMembership() {
    ConfState cs = w.history.latestConfig();
    if (cs == null) {
      return;
    }
    if (cs.getVotersOutgoingCount() > 0) {
      if (!cs.getAutoLeave()) {
        proposeConf(ConfChangeV2.getDefaultInstance());
      }
      return;
    }
    List<Long> voters = cs.getVotersList();
    List<Long> learners = cs.getLearnersList();
    ConfChangeV2 cc = pickChange(voters, learners, spares(cs));
    if (cc != null) {
      proposeConf(cc);
    }
  }

  /** The nodes that may be added: never members before. */
  private List<Long> spares(ConfState cs) {
    List<Long> spares = new ArrayList<>();
    for (long id = 1; id < w.nodes.length; id++) {
      // As etcd does, a member once removed never comes back under its id: its old log holds
      // configurations the cluster left long ago, and stale members may still count it.
      if (!World.isMember(cs, id) && !w.history.everMember(id)) {
        spares.add(id);
      }
    }
    return spares;
  }

  private ConfChangeV2 pickChange(List<Long> voters, List<Long> learners, List<Long> spares) {
    boolean canShrink = voters.size() > VOTERS_MIN;
    if (w.params.storm() == SimParams.Storm.JOINT && !spares.isEmpty() && rng.nextBoolean()) {
      return replaceVoter(any(spares), any(voters));
    }
    switch (rng.nextInt(7)) {
      case 0:
        return spares.isEmpty()
            ? null
            : single(ConfChangeType.ConfChangeAddLearnerNode, any(spares));
      case 1:
        return learners.isEmpty() ? null : single(ConfChangeType.ConfChangeAddNode, any(learners));
      case 2:
        return spares.isEmpty() ? null : single(ConfChangeType.ConfChangeAddNode, any(spares));
      case 3:
        return canShrink ? single(ConfChangeType.ConfChangeRemoveNode, any(voters)) : null;
      case 4:
        return canShrink ? single(ConfChangeType.ConfChangeAddLearnerNode, any(voters)) : null;
      case 5:
        return learners.isEmpty()
            ? null
            : single(ConfChangeType.ConfChangeRemoveNode, any(learners));
      default:
        return spares.isEmpty() ? null : replaceVoter(any(spares), any(voters));
    }
  }

  /** A joint change that swaps a voter for a spare; left automatically or by an explicit change. */
  private ConfChangeV2 replaceVoter(long in, long out) {
    ConfChangeTransition t =
        rng.nextBoolean()
            ? ConfChangeTransition.ConfChangeTransitionAuto
            : ConfChangeTransition.ConfChangeTransitionJointExplicit;
    return ConfChangeV2.newBuilder()
        .setTransition(t)
        .addChanges(
            ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(in))
        .addChanges(
            ConfChangeSingle.newBuilder()
                .setType(ConfChangeType.ConfChangeRemoveNode)
                .setNodeId(out))
        .build();
  }

  private ConfChangeV2 single(ConfChangeType type, long id) {
    return ConfChangeV2.newBuilder()
        .addChanges(ConfChangeSingle.newBuilder().setType(type).setNodeId(id))
        .build();
  }

  /**
   * Proposes a membership change. As with etcd's {@code member add}, an added node is started only
   * once the change is committed (see {@link World#onAcknowledged}).
   */
  private void proposeConf(ConfChangeV2 change) {
    SimNode n = target();
    if (n == null) {
      return;
    }
    ByteString basedOn =
        ByteString.copyFrom(ByteBuffer.allocate(8).putLong(w.history.latestConfigIndex()).flip());
    ConfChangeV2 cc = change.toBuilder().setContext(basedOn).build();
    w.stats.confChanges++;
    w.trace.add(w.now, "propose conf change", n.id, cc.getChangesList() + " " + cc.getTransition());
    if (cc.getChangesCount() == 1 && rng.nextBoolean()) {
      ConfChangeSingle c = cc.getChanges(0);
      ConfChange v1 =
          ConfChange.newBuilder()
              .setType(c.getType())
              .setNodeId(c.getNodeId())
              .setContext(basedOn)
              .build();
      w.host.input(n, () -> n.raw.proposeConfChange(v1));
    } else {
      w.host.input(n, () -> n.raw.proposeConfChange(cc));
    }
  }

  private long any(List<Long> ids) {
    return ids.get(rng.nextInt(ids.size()));
  }

  /** A running node that believes it leads (in any term), at random; null if none. */
  private SimNode anyLeader() {
    int n = w.nodes.length - 1;
    int start = rng.nextInt(n);
    for (int i = 0; i < n; i++) {
      SimNode s = w.nodes[1 + (start + i) % n];
      if (s.isUp() && s.role == Role.LEADER) {
        return s;
      }
    }
    return null;
  }

  /** The node a client talks to: a leader half of the time, else any running node. */
  private SimNode target() {
    if (rng.nextBoolean()) {
      // A client that talks to a leader picks one that believes it leads, stale or not, as a
      // client does that has not heard of a newer one.
      SimNode leader = anyLeader();
      if (leader != null) {
        return leader;
      }
    }
    int n = w.nodes.length - 1;
    int start = rng.nextInt(n);
    for (int i = 0; i < n; i++) {
      SimNode s = w.nodes[1 + (start + i) % n];
      if (s.isUp()) {
        return s;
      }
    }
    return null;
  }
}

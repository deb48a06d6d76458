package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.cluster.RequestFailedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A Raft cluster in one JVM, for integration tests that want wall-clock behaviour and for
 * benchmarks: each node is a thread that drives its own {@link io.stepraft.raft.RawNode} by the
 * Ready contract (persist, send, apply, advance), ticking every {@link Builder#tickPeriod}; the
 * nodes talk over an in-memory {@link Network} with injectable faults; each runs the user's {@link
 * ReplicatedStateMachine} on a {@link NodeStorage} that survives {@link #crash} and {@link
 * #restart}.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().stateMachine(id -> new Kv()).start()) {
 *   cluster.awaitLeader(Duration.ofSeconds(5));
 *   ByteString out = cluster.propose(ByteString.copyFromUtf8("put x 1")).get();
 *   ByteString x = cluster.read(2, ByteString.copyFromUtf8("x")).get(); // linearizable, on node 2
 * }
 * }</pre>
 *
 * <p>Requests ({@link #propose}, {@link #read}, membership changes, {@link #transferLeader}) return
 * futures that always complete: with the result, or with a {@link RequestFailedException} whose
 * reason says whether the request may still take effect; none waits longer than {@link
 * Builder#requestTimeout}. A write succeeds once its entry is applied on the node it was proposed
 * to, with the state machine's output there. Futures complete on the node's thread: callbacks must
 * not block (use the {@code ...Async} variants to do more).
 *
 * <p>Thread-safe. {@link #close()} stops every node thread.
 */
public final class LocalCluster implements AutoCloseable {
  private final Settings settings;
  private final Map<Long, ClusterNode> running = new ConcurrentHashMap<>();
  private final Network network;
  private final AtomicLong requestIds = new AtomicLong();
  private final ChangeSignal changes = new ChangeSignal();
  private final List<Throwable> failures = new ArrayList<>();
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  private LocalCluster(Settings settings) {
    this.settings = settings;
    this.network =
        new Network(
            running, settings.serializeMessages(), settings.linkQueueMax(), e -> nodeFailed(0, e));
  }

  /**
   * A builder with the defaults given on each setting.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Proposes a command through the current {@link #leader()} (or any running node when none is
   * known, which rejects it unless it knows a leader).
   *
   * @param command the command for the state machine
   * @return the state machine's output, once the entry is applied on the node it went to
   */
  public CompletableFuture<ByteString> propose(ByteString command) {
    return propose(anyNode(), command);
  }

  /**
   * Proposes a command on node {@code nodeId} (a follower forwards it to its leader).
   *
   * @param nodeId the node to propose on
   * @param command the command for the state machine
   * @return the state machine's output, once the entry is applied on {@code nodeId}
   */
  public CompletableFuture<ByteString> propose(long nodeId, ByteString command) {
    Objects.requireNonNull(command, "command");
    return submit(new Op.Propose(nextRequestId(), nodeId, deadline(), command));
  }

  /**
   * A linearizable read through the current {@link #leader()} (or any running node).
   *
   * @param query the query for the state machine's {@code read}
   * @return its answer
   */
  public CompletableFuture<ByteString> read(ByteString query) {
    return read(anyNode(), query);
  }

  /**
   * A linearizable read on node {@code nodeId} by ReadIndex: the node learns the leader's commit
   * index (confirmed by a quorum) and answers from its own state machine once it has applied that
   * index. Reads that raft drops (no leader yet, a leader change) are retried until the request
   * timeout.
   *
   * @param nodeId the node to read on
   * @param query the query for the state machine's {@code read}
   * @return its answer
   */
  public CompletableFuture<ByteString> read(long nodeId, ByteString query) {
    Objects.requireNonNull(query, "query");
    return submit(new Op.Read(nextRequestId(), nodeId, deadline(), query));
  }

  /**
   * Starts node {@code nodeId} with an empty storage (unless it runs) and proposes, through the
   * leader, to add it as a learner. It catches up from the leader's log or snapshot.
   *
   * @param nodeId the new node
   * @return the configuration, once the change is applied on the leader
   */
  public CompletableFuture<ConfState> addLearner(long nodeId) {
    startIfStopped(nodeId);
    return changeMembership(ConfChangeType.ConfChangeAddLearnerNode, nodeId);
  }

  /**
   * Starts node {@code nodeId} with an empty storage (unless it runs) and proposes, through the
   * leader, to add it as a voter. Prefer {@link #addLearner} then {@link #promote}.
   *
   * @param nodeId the new node
   * @return the configuration, once the change is applied on the leader
   */
  public CompletableFuture<ConfState> addVoter(long nodeId) {
    startIfStopped(nodeId);
    return changeMembership(ConfChangeType.ConfChangeAddNode, nodeId);
  }

  /**
   * Proposes, through the leader, to make learner {@code nodeId} a voter.
   *
   * @param nodeId the learner
   * @return the configuration, once the change is applied on the leader
   */
  public CompletableFuture<ConfState> promote(long nodeId) {
    return changeMembership(ConfChangeType.ConfChangeAddNode, nodeId);
  }

  /**
   * Proposes, through the leader, to remove node {@code nodeId}. The node keeps running until
   * {@link #crash}ed; a removed leader steps down.
   *
   * @param nodeId the node to remove
   * @return the configuration, once the change is applied on the leader that proposed it
   */
  public CompletableFuture<ConfState> remove(long nodeId) {
    return changeMembership(ConfChangeType.ConfChangeRemoveNode, nodeId);
  }

  /**
   * Asks for leadership to move to {@code nodeId}: the request goes to the leader through that node
   * and is repeated every election timeout until the node leads.
   *
   * @param nodeId the node that should lead
   * @return completes when {@code nodeId} leads
   */
  public CompletableFuture<Void> transferLeader(long nodeId) {
    return submit(new Op.Transfer(nextRequestId(), nodeId, deadline()));
  }

  /**
   * The leader a quorum follows: a running node that leads in a term in which a majority of the
   * voters of its configuration (itself included) are running and know it as their leader. Of
   * several (an old leader whose followers have not heard of the new one yet), the one with the
   * highest term.
   *
   * @return its id, or 0 when there is none
   */
  public long leader() {
    NodeView best = null;
    for (ClusterNode n : running.values()) {
      NodeView v = n.view();
      if (v.role() == Role.LEADER
          && (best == null || v.term() > best.term())
          && followedByQuorum(v)) {
        best = v;
      }
    }
    return best == null ? 0 : best.id();
  }

  private boolean followedByQuorum(NodeView leader) {
    List<Long> voters = leader.conf().getVotersList();
    int following = 0;
    for (long voter : voters) {
      ClusterNode n = running.get(voter);
      NodeView v = n == null ? null : n.view();
      if (v != null && v.term() == leader.term() && v.lead() == leader.id()) {
        following++;
      }
    }
    return following > voters.size() / 2;
  }

  /**
   * Waits until there is a {@link #leader()}.
   *
   * @param timeout how long to wait
   * @return the leader's id
   * @throws TimeoutException if there is none in time; the message describes every node
   * @throws InterruptedException if interrupted while waiting
   */
  public long awaitLeader(Duration timeout) throws TimeoutException, InterruptedException {
    return awaitLeader(timeout, id -> true);
  }

  /**
   * Waits until the {@link #leader()} is one that {@code acceptable} accepts: after isolating the
   * leader, say, {@code awaitLeader(timeout, id -> id != old)}.
   *
   * @param timeout how long to wait
   * @param acceptable which leaders to wait for
   * @return the leader's id
   * @throws TimeoutException if there is none in time; the message describes every node
   * @throws InterruptedException if interrupted while waiting
   */
  public long awaitLeader(Duration timeout, LongPredicate acceptable)
      throws TimeoutException, InterruptedException {
    long[] found = new long[1];
    await(
        () -> {
          found[0] = leader();
          return found[0] != 0 && acceptable.test(found[0]);
        },
        timeout,
        "an acceptable leader followed by a quorum");
    return found[0];
  }

  /**
   * Waits until every running node has applied {@code index}.
   *
   * @param index the index
   * @param timeout how long to wait
   * @throws TimeoutException if some node has not in time; the message describes every node
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitApplied(long index, Duration timeout)
      throws TimeoutException, InterruptedException {
    await(
        () -> running.values().stream().allMatch(n -> n.view().applied() >= index),
        timeout,
        "every running node to apply index " + index);
  }

  /**
   * Waits until node {@code nodeId} runs and has applied {@code index}.
   *
   * @param nodeId the node
   * @param index the index
   * @param timeout how long to wait
   * @throws TimeoutException if it has not in time
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitApplied(long nodeId, long index, Duration timeout)
      throws TimeoutException, InterruptedException {
    await(
        () -> {
          ClusterNode n = running.get(nodeId);
          return n != null && n.view().applied() >= index;
        },
        timeout,
        "node " + nodeId + " to apply index " + index);
  }

  private void await(BooleanSupplier condition, Duration timeout, String what)
      throws TimeoutException, InterruptedException {
    if (!changes.await(condition, timeout.toNanos())) {
      throw new TimeoutException(
          "waited " + timeout.toMillis() + " ms for " + what + "; nodes: " + describe());
    }
  }

  /**
   * The status of a running node, taken on its thread.
   *
   * @param nodeId the node
   * @return its status
   * @throws IllegalStateException if the node is not running
   * @throws TimeoutException if it does not answer within the request timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public NodeStatus status(long nodeId) throws TimeoutException, InterruptedException {
    ClusterNode n = running.get(nodeId);
    if (n == null) {
      throw new IllegalStateException("node " + nodeId + " is not running");
    }
    try {
      return n.status(deadline()).future.get(settings.requestTimeoutNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("node " + nodeId + " gave no status", e.getCause());
    }
  }

  /**
   * Whether node {@code nodeId} runs.
   *
   * @param nodeId the node
   * @return true between its start and its crash
   */
  public boolean isRunning(long nodeId) {
    return running.containsKey(nodeId);
  }

  /**
   * The ids of the running nodes.
   *
   * @return a sorted copy
   */
  public Set<Long> runningNodes() {
    return new TreeSet<>(running.keySet());
  }

  /**
   * Crashes node {@code nodeId}: its thread stops at once (possibly between persisting a Ready and
   * sending its messages), what is in flight to it is lost, its open requests are abandoned. Its
   * storage keeps what it saved.
   *
   * @param nodeId the node
   * @throws IllegalStateException if it is not running
   * @throws InterruptedException if interrupted while waiting for its thread
   */
  public void crash(long nodeId) throws InterruptedException {
    synchronized (lifecycle) {
      ClusterNode n = running.remove(nodeId);
      if (n == null) {
        throw new IllegalStateException("node " + nodeId + " is not running");
      }
      n.stop();
      joinOrFail(n);
      network.discardInbound(nodeId);
      changes.signal();
    }
  }

  /**
   * Restarts a crashed node from its storage, with a new state machine restored from the latest
   * snapshot; raft hands it the committed entries after that snapshot again.
   *
   * @param nodeId the node
   * @throws IllegalStateException if it runs, or the cluster is closed
   */
  public void restart(long nodeId) {
    synchronized (lifecycle) {
      if (running.containsKey(nodeId)) {
        throw new IllegalStateException("node " + nodeId + " is running");
      }
      startNode(nodeId);
    }
  }

  /**
   * The network between the nodes, to inject faults.
   *
   * @return the network
   */
  public Network network() {
    return network;
  }

  /**
   * Stops every node thread and waits for them; open requests are abandoned. Idempotent.
   *
   * @throws IllegalStateException if a node failed while the cluster ran (a broken invariant, an
   *     exception from the state machine or the storage, a message that did not decode): the first
   *     failure is the cause, the others are suppressed
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      List<ClusterNode> nodes = new ArrayList<>(running.values());
      running.clear();
      nodes.forEach(ClusterNode::stop);
      boolean interrupted = false;
      for (ClusterNode n : nodes) {
        try {
          joinOrFail(n);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    throwFailures();
  }

  private void throwFailures() {
    synchronized (failures) {
      if (failures.isEmpty()) {
        return;
      }
      IllegalStateException e =
          new IllegalStateException(
              failures.size() + " failure(s) in the cluster; the first: " + failures.get(0),
              failures.get(0));
      failures.subList(1, failures.size()).forEach(e::addSuppressed);
      failures.clear();
      throw e;
    }
  }

  private void joinOrFail(ClusterNode n) throws InterruptedException {
    if (!n.join(settings.requestTimeoutNanos())) {
      nodeFailed(n.id, new IllegalStateException("node " + n.id + "'s thread did not stop"));
    }
  }

  private CompletableFuture<ConfState> changeMembership(ConfChangeType type, long nodeId) {
    long leader = leader();
    Op.ConfChange op = new Op.ConfChange(nextRequestId(), leader, deadline(), type, nodeId);
    if (leader == 0) {
      op.fail(Reason.REJECTED, "no leader is known", null);
      return op.future;
    }
    return submit(op);
  }

  private void startIfStopped(long nodeId) {
    synchronized (lifecycle) {
      if (!running.containsKey(nodeId)) {
        startNode(nodeId);
      }
    }
  }

  private void startNode(long nodeId) {
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
    ClusterNode n =
        new ClusterNode(this, settings, network, nodeId, settings.founders().contains(nodeId));
    running.put(nodeId, n);
    n.start();
    changes.signal();
  }

  private <T> CompletableFuture<T> submit(Op<T> op) {
    ClusterNode n = running.get(op.nodeId);
    if (n == null) {
      op.fail(Reason.REJECTED, "the node is not running", null);
    } else {
      n.submit(op);
    }
    return op.future;
  }

  private long anyNode() {
    long leader = leader();
    if (leader != 0) {
      return leader;
    }
    return running.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private long deadline() {
    return System.nanoTime() + settings.requestTimeoutNanos();
  }

  private String describe() {
    return running.values().stream()
        .map(n -> n.view().toString())
        .sorted()
        .collect(Collectors.joining("; ", "[", "]"));
  }

  long nextRequestId() {
    return requestIds.incrementAndGet();
  }

  void viewChanged() {
    changes.signal();
  }

  void nodeFailed(long nodeId, Throwable t) {
    synchronized (failures) {
      failures.add(nodeId == 0 ? t : new IllegalStateException("node " + nodeId + " failed", t));
    }
  }

  /** Called on a node's thread as it ends, whatever the reason. */
  void nodeExited(ClusterNode n) {
    running.remove(n.id, n);
    changes.signal();
  }

  /** Collects a {@link LocalCluster}'s settings. Not thread-safe. */
  public static final class Builder {
    private String name = "stepraft";
    private List<Long> voters = List.of(1L, 2L, 3L);
    private LongFunction<? extends ReplicatedStateMachine> stateMachines;
    private NodeStorage.Provider storage;
    private UnaryOperator<Config.Builder> raftConfig = UnaryOperator.identity();
    private Duration tickPeriod = Duration.ofMillis(10);
    private long snapshotEveryEntries = 10_000;
    private long entriesKeptAfterSnapshot = 1_000;
    private boolean serializeMessages;
    private int linkQueueMax = 4096;
    private int requestQueueMax = 4096;
    private Duration requestTimeout = Duration.ofSeconds(5);
    private boolean asyncStorageWrites;
    private Duration idleSpin = Duration.ofNanos(50_000);

    private Builder() {}

    /**
     * The founding voters, which bootstrap the cluster; default 1, 2, 3.
     *
     * @param ids distinct, non-zero node ids
     * @return this builder
     */
    public Builder voters(long... ids) {
      List<Long> list = LongStream.of(ids).boxed().toList();
      if (list.isEmpty() || list.contains(0L) || Set.copyOf(list).size() != list.size()) {
        throw new IllegalArgumentException("voters must be distinct non-zero ids: " + list);
      }
      voters = list;
      return this;
    }

    /**
     * Creates each node's state machine: at its start and at every restart. Required.
     *
     * @param factory from node id to a new, empty state machine
     * @return this builder
     */
    public Builder stateMachine(LongFunction<? extends ReplicatedStateMachine> factory) {
      stateMachines = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Where nodes keep their log and snapshots; default {@link NodeStorage#inMemory()}.
     *
     * @param provider opens a node's storage at each start
     * @return this builder
     */
    public Builder storage(NodeStorage.Provider provider) {
      storage = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Adjusts each node's raft configuration. The driver's defaults come first: 10 election ticks,
     * 1 heartbeat tick, CheckQuorum, PreVote, step down on removal. The node's id, storage, applied
     * index, listener (the user's is still called) and {@link #asyncStorageWrites} are set after.
     *
     * @param adjust changes to the builder
     * @return this builder
     */
    public Builder raftConfig(UnaryOperator<Config.Builder> adjust) {
      raftConfig = Objects.requireNonNull(adjust, "adjust");
      return this;
    }

    /**
     * How often each node ticks; default 10 ms.
     *
     * @param period a positive duration
     * @return this builder
     */
    public Builder tickPeriod(Duration period) {
      tickPeriod = positive(period, "the tick period");
      return this;
    }

    /**
     * A node takes a snapshot every {@code entries} applied entries (0: never), then compacts its
     * log but for the last {@code keptAfter} entries, so that a follower a little behind catches up
     * with entries rather than a snapshot; default every 10,000, keeping 1,000.
     *
     * @param entries applied entries between snapshots, or 0
     * @param keptAfter entries kept before each snapshot's index
     * @return this builder
     */
    public Builder snapshotEvery(long entries, long keptAfter) {
      if (entries < 0 || keptAfter < 0) {
        throw new IllegalArgumentException("negative: " + entries + ", " + keptAfter);
      }
      snapshotEveryEntries = entries;
      entriesKeptAfterSnapshot = keptAfter;
      return this;
    }

    /**
     * Whether messages travel as their protobuf encoding, so that encoding bugs show; default
     * false.
     *
     * @param serialize true to encode and decode every message
     * @return this builder
     */
    public Builder serializeMessages(boolean serialize) {
      serializeMessages = serialize;
      return this;
    }

    /**
     * The most messages in flight on one link (one direction between two nodes); default 4096.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder linkQueueMax(int max) {
      linkQueueMax = positive(max);
      return this;
    }

    /**
     * The most requests queued for, and the most open on, one node; default 4096.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder requestQueueMax(int max) {
      requestQueueMax = positive(max);
      return this;
    }

    /**
     * How long a request may take before it fails with {@link Reason#TIMED_OUT}; also the bound of
     * {@link LocalCluster#status} and of stopping a thread; default 5 s.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      requestTimeout = positive(timeout, "the request timeout");
      return this;
    }

    /**
     * Whether nodes write their storage on a thread of their own, with raft's asynchronous storage
     * writes (etcd raft's {@code AsyncStorageWrites}); default false. When false the node's thread
     * handles each Ready in the Ready contract's order: save (and fsync), then send, so a leader's
     * write and its followers' happen one after the other. When true the node's thread sends a
     * Ready's messages at once and hands its MsgStorageAppend to the node's storage thread, which
     * saves it and then delivers the responses that acknowledge it; committed entries are applied
     * on the node's thread once durable there. A leader then writes while its followers do, and it
     * counts its own copy toward the quorum only once its write is done. Crashes lose only what was
     * never acknowledged, in both modes.
     *
     * @param async true for a storage thread per node
     * @return this builder
     */
    public Builder asyncStorageWrites(boolean async) {
      asyncStorageWrites = async;
      return this;
    }

    /**
     * How long a node's thread with nothing to do polls for work (yielding the processor between
     * polls) before it parks; default 50 µs. A parked thread takes tens of microseconds to run
     * again once woken, and an answer to a message just sent often comes sooner than that: polling
     * cut the median of a 3-node in-memory closed loop from 59 to 14 µs on 2 cores. Zero parks at
     * once, for hosts that would rather spare the processor.
     *
     * @param spin at least zero, at most one second
     * @return this builder
     */
    public Builder idleSpin(Duration spin) {
      Objects.requireNonNull(spin, "spin");
      if (spin.isNegative() || spin.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("idleSpin must be within [0, 1 s], was " + spin);
      }
      idleSpin = spin;
      return this;
    }

    /**
     * The prefix of the node threads' names ({@code name-node-id}); default "stepraft".
     *
     * @param name the prefix
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Starts every founding voter; they bootstrap the cluster and elect a leader by themselves.
     *
     * @return the running cluster
     * @throws IllegalStateException if no state machine factory was given
     */
    public LocalCluster start() {
      if (stateMachines == null) {
        throw new IllegalStateException("a state machine factory is required");
      }
      LocalCluster cluster =
          new LocalCluster(
              new Settings(
                  name,
                  voters,
                  stateMachines,
                  storage == null ? NodeStorage.inMemory() : storage,
                  raftConfig,
                  tickPeriod.toNanos(),
                  snapshotEveryEntries,
                  entriesKeptAfterSnapshot,
                  serializeMessages,
                  linkQueueMax,
                  requestQueueMax,
                  requestTimeout.toNanos(),
                  asyncStorageWrites,
                  idleSpin.toNanos()));
      try {
        voters.forEach(cluster::startIfStopped);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private static int positive(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("must be at least 1: " + max);
      }
      return max;
    }
  }
}

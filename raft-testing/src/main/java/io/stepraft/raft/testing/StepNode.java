package io.stepraft.raft.testing;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A RawNode driven the way a host drives it: persist to a MemoryStorage, send, apply, advance.
 * Applied entries and read states are recorded for assertions. The test decides when the node
 * works: {@link #handleReady} handles one Ready, {@link #drain} everything pending; the messages
 * for other nodes are returned, never sent. A {@link StepCluster} drives many of them on a network.
 *
 * <p>The state machine is the list of applied entries, assumed durable: {@link #restart} rebuilds
 * the RawNode from the storage and keeps it. The node refuses, loudly, a Ready that would roll the
 * state machine back or skip entries.
 *
 * <p>With {@code Config.asyncStorageWrites} the Ready's storage work arrives as messages to the
 * append and apply threads instead: {@link #handleReady} only queues them ({@link #appendQueue},
 * {@link #applyQueue}); {@link #persist} and {@link #apply} do one piece of that work, as those
 * threads would, and {@link #drain} does all of it.
 */
public final class StepNode {
  /** The storage threads' addresses (etcd's LocalAppendThread and LocalApplyThread). */
  private static final long APPEND_THREAD = -1;

  private static final long APPLY_THREAD = -2;

  private static final int DRAIN_ROUNDS_MAX = 100_000;

  private final long id;
  private Config config;
  private final MemoryStorage storage;
  private RawNode node;
  private final List<Entry> applied = new ArrayList<>();

  /**
   * The index the state machine has reached: its last applied entry or a restored snapshot,
   * whichever came later. Raft must hand out the next committed entry at exactly this index + 1,
   * and a snapshot only above it.
   */
  private long appliedIndex;

  /**
   * After a restart with asynchronous writes, the state machine may hold entries above the durable
   * commit index, which raft hands out again: those in (config.applied, redeliveredUpTo] are
   * skipped, as a durable state machine skips what it already holds.
   */
  private long redeliveredUpTo;

  private final List<ReadState> readStates = new ArrayList<>();

  /** The configuration after each applied change or restored snapshot, by index. */
  private final TreeMap<Long, ConfState> confStates = new TreeMap<>();

  private final Function<Config, RawNode> factory;
  private final ArrayDeque<Message> appendQueue = new ArrayDeque<>();
  private final ArrayDeque<Message> applyQueue = new ArrayDeque<>();
  private Consumer<Ready> observer = rd -> {};

  /**
   * A node over {@code config.storage()}, which must be a MemoryStorage, as it finds it: not
   * bootstrapped (call {@code raw().bootstrap(peers)} for a new cluster), restarted from whatever
   * the storage holds, with {@code config.applied()} as the state machine's applied index.
   *
   * @param config the node's configuration
   * @return the node; nothing is handled yet
   * @throws IllegalArgumentException if the storage is not a MemoryStorage
   */
  public static StepNode of(Config config) {
    if (!(config.storage() instanceof MemoryStorage)) {
      throw new IllegalArgumentException(
          "a StepNode persists to a MemoryStorage, not " + config.storage());
    }
    return new StepNode(config, RawNode::new);
  }

  /** A node built by {@code factory} (a core with a planted bug, say), also on restarts. */
  StepNode(Config config, Function<Config, RawNode> factory) {
    this(config, (MemoryStorage) config.storage(), factory);
  }

  /**
   * A node whose RawNode reads its log through {@code config.storage()} (a wrapper around {@code
   * storage}, say) while the host writes to {@code storage}.
   */
  StepNode(Config config, MemoryStorage storage) {
    this(config, storage, RawNode::new);
  }

  private StepNode(Config config, MemoryStorage storage, Function<Config, RawNode> factory) {
    this.id = config.id();
    this.config = config;
    this.storage = storage;
    this.factory = factory;
    long snapshotIndex = storage.snapshot().getMetadata().getIndex();
    this.confStates.put(snapshotIndex, storage.confState());
    this.node = factory.apply(config);
    this.appliedIndex = Math.max(config.applied(), snapshotIndex);
  }

  /** The node's id. */
  public long id() {
    return id;
  }

  /** The RawNode under test. */
  public RawNode raw() {
    return node;
  }

  /** The node's storage. */
  public MemoryStorage storage() {
    return storage;
  }

  /**
   * Every entry applied so far, in order (across restarts, without duplicates). Entries that a
   * restored snapshot covered were never applied one by one and are not in the list.
   */
  public List<Entry> applied() {
    return applied;
  }

  /**
   * The index the state machine has reached: its last applied entry, or a restored snapshot after
   * it.
   */
  public long appliedIndex() {
    return appliedIndex;
  }

  /** Payloads of the applied normal entries with data, as strings. */
  public List<String> appliedData() {
    List<String> out = new ArrayList<>();
    for (Entry e : applied) {
      if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
        out.add(e.getData().toStringUtf8());
      }
    }
    return out;
  }

  /** Read states received so far. */
  public List<ReadState> readStates() {
    return readStates;
  }

  /** The configuration as of the last applied change (at first, the one in the storage). */
  public ConfState confState() {
    return confStates.lastEntry().getValue();
  }

  /** Every entry in the storage after its snapshot, first to last (call {@link #drain} first). */
  public List<Entry> log() {
    if (storage.lastIndex() < storage.firstIndex()) {
      return List.of();
    }
    return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
  }

  /** The node's role. */
  public Role role() {
    return node.basicStatus().softState().role();
  }

  /** The node's term. */
  public long term() {
    return node.basicStatus().hardState().getTerm();
  }

  /** The node this one voted for in its term, 0 for none. */
  public long vote() {
    return node.basicStatus().hardState().getVote();
  }

  /** The node's commit index. */
  public long commit() {
    return node.basicStatus().hardState().getCommit();
  }

  /** The leader this node knows. */
  public long lead() {
    return node.basicStatus().softState().lead();
  }

  /**
   * The leader's view of a peer: how far its log is known to match, and how it is replicated to.
   *
   * @param peer a node of the leader's configuration
   * @return the peer's progress, as {@code raw().status()} reports it
   * @throws AssertionError if this node tracks no progress for {@code peer} (it does not lead, or
   *     {@code peer} is not in its configuration)
   */
  public PeerProgress progress(long peer) {
    PeerProgress p = node.status().progress().get(peer);
    if (p == null) {
      throw new AssertionError("node " + id + " has no progress for " + peer + " (not leading?)");
    }
    return p;
  }

  /**
   * Steps messages into the node, in order, without handling the Readies they cause.
   *
   * @param msgs messages from other nodes (or local ones, such as a proposal)
   */
  public void step(Message... msgs) {
    for (Message m : msgs) {
      node.step(m);
    }
  }

  /**
   * Ticks the node {@code ticks} times without handling the Readies they cause.
   *
   * @param ticks how many ticks
   */
  public void tick(int ticks) {
    for (int i = 0; i < ticks; i++) {
      node.tick();
    }
  }

  /**
   * Calls {@code observer} with every Ready this node handles from now on, before it handles it
   * (the previous observer is replaced).
   *
   * @param observer what to tell, such as {@code readies::add}
   */
  public void onReady(Consumer<Ready> observer) {
    this.observer = observer;
  }

  /**
   * Handles one Ready if there is one, in the contract's order, and returns its messages to send
   * (empty if there was nothing to do).
   */
  public List<Message> handleReady() {
    if (!node.hasReady()) {
      return List.of();
    }
    return handle(node.ready());
  }

  /**
   * Handles every pending Ready, one after the other, and returns their messages to send, in order.
   * With asynchronous writes this only queues their storage work.
   */
  public List<Message> handleReadies() {
    List<Message> out = new ArrayList<>();
    while (node.hasReady()) {
      out.addAll(handleReady());
    }
    return out;
  }

  /**
   * Does everything the host has to do until nothing is left: every Ready and, with asynchronous
   * writes, the queued storage work (writes before applies). Returns the messages for other nodes,
   * in order.
   */
  public List<Message> drain() {
    List<Message> out = new ArrayList<>();
    for (int round = 0; round < DRAIN_ROUNDS_MAX; round++) {
      if (node.hasReady()) {
        out.addAll(handleReady());
      } else if (!appendQueue.isEmpty()) {
        out.addAll(persist(appendQueue.poll()));
      } else if (!applyQueue.isEmpty()) {
        out.addAll(apply(applyQueue.poll()));
      } else {
        return out;
      }
    }
    throw new AssertionError("node " + id + " did not quiesce in " + DRAIN_ROUNDS_MAX + " rounds");
  }

  /** Whether the node has a Ready or queued storage work. */
  boolean hasWork() {
    return node.hasReady() || !appendQueue.isEmpty() || !applyQueue.isEmpty();
  }

  /**
   * One Ready handled and, with asynchronous writes, all queued storage work done: a cluster's
   * round for this node. Returns the messages for other nodes.
   */
  List<Message> work() {
    List<Message> out = handleReady();
    if (!config.asyncStorageWrites() || (appendQueue.isEmpty() && applyQueue.isEmpty())) {
      return out;
    }
    List<Message> all = new ArrayList<>(out);
    while (!appendQueue.isEmpty()) {
      all.addAll(persist(appendQueue.poll()));
    }
    while (!applyQueue.isEmpty()) {
      all.addAll(apply(applyQueue.poll()));
    }
    return all;
  }

  /**
   * Handles a Ready the test took from {@code raw().ready()} itself (to look at it first), as the
   * host does: persist, apply, advance; with asynchronous writes, queue its storage work.
   *
   * @param rd the Ready, taken from this node and not handled yet
   * @return its messages for other nodes
   * @throws AssertionError before anything is written if applying {@code rd} would roll the state
   *     machine back or skip entries
   */
  public List<Message> handle(Ready rd) {
    observer.accept(rd);
    if (config.asyncStorageWrites()) {
      readStates.addAll(rd.readStates());
      return queue(rd.messages());
    }
    checkApplicable(rd);
    if (rd.hasSnapshot()) {
      restore(rd.snapshot());
    }
    storage.append(rd.entries());
    if (rd.hasHardState()) {
      storage.setHardState(rd.hardState());
    }
    for (Entry e : rd.committedEntries()) {
      applyEntry(e);
    }
    readStates.addAll(rd.readStates());
    node.advance(rd);
    return rd.messages();
  }

  private List<Message> queue(List<Message> msgs) {
    List<Message> out = new ArrayList<>(msgs.size());
    for (Message m : msgs) {
      if (m.getTo() == APPEND_THREAD) {
        appendQueue.add(m);
      } else if (m.getTo() == APPLY_THREAD) {
        applyQueue.add(m);
      } else {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * With asynchronous writes: the MsgStorageAppend messages handed out and not written yet, oldest
   * first. The test may take one out to write it out of turn, or to lose it.
   */
  public Deque<Message> appendQueue() {
    return appendQueue;
  }

  /**
   * With asynchronous writes: the MsgStorageApply messages handed out and not applied yet, oldest
   * first.
   */
  public Deque<Message> applyQueue() {
    return applyQueue;
  }

  /**
   * Does the work of one MsgStorageAppend as the append thread does: {@link #write} it, then
   * deliver its responses, which acknowledge the write.
   *
   * @param append a MsgStorageAppend of this node
   * @return the responses for other nodes; those to this node are stepped into it
   */
  public List<Message> persist(Message append) {
    write(append);
    return respond(append);
  }

  /**
   * Writes one MsgStorageAppend to the storage (its snapshot, which is restored, its entries, its
   * hard state) without delivering its responses: as a host that crashes after the write became
   * durable and before it said so.
   *
   * @param append a MsgStorageAppend of this node
   */
  public void write(Message append) {
    expect(append, MessageType.MsgStorageAppend);
    if (append.hasSnapshot() && append.getSnapshot().getMetadata().getIndex() > 0) {
      checkSnapshotApplicable(append.getSnapshot().getMetadata().getIndex());
      restore(append.getSnapshot());
    }
    storage.append(append.getEntriesList());
    if (append.hasTerm() || append.hasVote() || append.hasCommit()) {
      storage.setHardState(
          HardState.newBuilder()
              .setTerm(append.getTerm())
              .setVote(append.getVote())
              .setCommit(append.getCommit())
              .build());
    }
  }

  /**
   * Does the work of one MsgStorageApply as the apply thread does: applies its entries, which must
   * be durable already, then delivers its responses.
   *
   * @param apply a MsgStorageApply of this node
   * @return the responses for other nodes; those to this node are stepped into it
   * @throws AssertionError if an entry is not durable yet, or would roll the state machine back or
   *     skip entries
   */
  public List<Message> apply(Message apply) {
    expect(apply, MessageType.MsgStorageApply);
    for (Entry e : apply.getEntriesList()) {
      if (e.getIndex() > config.applied() && e.getIndex() <= redeliveredUpTo) {
        continue; // handed out again after a restart: the state machine already holds it
      }
      checkNext(e, appliedIndex);
      if (e.getIndex() > storage.lastIndex()) {
        throw new AssertionError(
            "node "
                + id
                + " was handed entry "
                + e.getIndex()
                + " to apply before it was durable (last durable index "
                + storage.lastIndex()
                + ")");
      }
      applyEntry(e);
    }
    return respond(apply);
  }

  private void expect(Message m, MessageType type) {
    if (m.getType() != type) {
      throw new IllegalArgumentException("expected a " + type + ", got " + m);
    }
  }

  private List<Message> respond(Message storageWork) {
    List<Message> out = new ArrayList<>();
    for (Message resp : storageWork.getResponsesList()) {
      if (resp.getTo() == id) {
        node.step(resp);
      } else {
        out.add(resp);
      }
    }
    return out;
  }

  /**
   * Fails loudly if the state machine cannot take {@code rd} as it stands. Raft restores a snapshot
   * only above its commit index, which is at least the applied index, and after a restore hands out
   * committed entries only above the snapshot (as etcd's raft does): a snapshot at or below the
   * applied index, or a committed entry at or below what the state machine already holds (applied
   * or restored), would roll the state machine back; an entry beyond the next index would skip
   * some.
   */
  private void checkApplicable(Ready rd) {
    long at = appliedIndex;
    if (rd.hasSnapshot()) {
      long snapIndex = rd.snapshot().getMetadata().getIndex();
      checkSnapshotApplicable(snapIndex);
      at = snapIndex;
    }
    for (Entry e : rd.committedEntries()) {
      checkNext(e, at);
      at = e.getIndex();
    }
  }

  private void checkSnapshotApplicable(long snapIndex) {
    if (snapIndex <= appliedIndex) {
      throw new AssertionError(
          "node "
              + id
              + " was handed a snapshot at index "
              + snapIndex
              + " but its state machine has already applied through index "
              + appliedIndex
              + ": restoring it would roll it back");
    }
  }

  /** Fails unless {@code e} is the entry right after index {@code at}. */
  private void checkNext(Entry e, long at) {
    if (e.getIndex() <= at) {
      throw new AssertionError(
          "node "
              + id
              + " was handed committed entry "
              + e.getIndex()
              + " but its state "
              + "machine already holds index "
              + at
              + " (storage snapshot at "
              + storage.snapshot().getMetadata().getIndex()
              + ", last applied entry "
              + lastAppliedEntryIndex()
              + "): applying it would roll the state machine back");
    }
    if (e.getIndex() != at + 1) {
      throw new AssertionError(
          "node "
              + id
              + " was handed committed entry "
              + e.getIndex()
              + " after index "
              + at
              + ": entries "
              + (at + 1)
              + ".."
              + (e.getIndex() - 1)
              + " would never be applied");
    }
  }

  private long lastAppliedEntryIndex() {
    return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).getIndex();
  }

  private void restore(Snapshot snap) {
    storage.applySnapshot(snap);
    long index = snap.getMetadata().getIndex();
    confStates.tailMap(index, true).clear();
    confStates.put(index, snap.getMetadata().getConfState());
    appliedIndex = index;
  }

  private void applyEntry(Entry e) {
    applied.add(e);
    appliedIndex = e.getIndex();
    if (e.getType() != EntryType.EntryNormal) {
      confStates.put(e.getIndex(), node.applyConfChange(e));
    }
  }

  /**
   * Restarts the node from its storage, as after a crash after the last handled Ready: the RawNode
   * is rebuilt; queued storage work is lost; applied entries are kept (the state machine is assumed
   * durable). The configuration is made durable first, as a host does by snapshotting it with its
   * state machine.
   */
  public void restart() {
    long durableCommit = storage.initialState().hardState().getCommit();
    persistConfState(Math.min(appliedIndex, durableCommit));
    appendQueue.clear();
    applyQueue.clear();
    redeliveredUpTo = appliedIndex;
    config = config.toBuilder().applied(Math.min(appliedIndex, durableCommit)).build();
    node = factory.apply(config);
  }

  /**
   * Makes the configuration as of {@code index} durable, as a host does by snapshotting its state
   * machine together with the ConfState: a restarted node reads its configuration from the
   * storage's snapshot and is not handed the already applied configuration entries again. Nothing
   * is compacted.
   */
  private void persistConfState(long index) {
    if (index <= storage.snapshot().getMetadata().getIndex()) {
      return;
    }
    ConfState cs = confStates.floorEntry(index).getValue();
    boolean known = !cs.equals(ConfState.getDefaultInstance());
    storage.createSnapshot(index, known ? cs : null, ByteString.EMPTY);
  }
}

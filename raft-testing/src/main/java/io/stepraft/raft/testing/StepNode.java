package io.stepraft.raft.testing;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A RawNode driven the way a host drives it: persist to a MemoryStorage, send, apply, advance.
 * Applied entries and read states are recorded for assertions.
 */
public final class StepNode {
  private final long id;
  private Config config;
  private MemoryStorage storage;
  private RawNode node;
  private final List<Entry> applied = new ArrayList<>();

  /**
   * The index the state machine has reached: its last applied entry or a restored snapshot,
   * whichever came later. Raft must hand out the next committed entry at exactly this index + 1,
   * and a snapshot only above it.
   */
  private long appliedIndex;

  private final List<ReadState> readStates = new ArrayList<>();
  private ConfState confState;
  private final Function<Config, RawNode> factory;

  StepNode(Config config) {
    this(config, RawNode::new);
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
    this.confState = storage.confState();
    this.node = factory.apply(config);
    this.appliedIndex = startIndex(config, storage);
  }

  /** A node starts from its storage's snapshot, or from the applied index its config names. */
  private static long startIndex(Config config, MemoryStorage storage) {
    return Math.max(config.applied(), storage.snapshot().getMetadata().getIndex());
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
    return confState;
  }

  /** The node's role. */
  public Role role() {
    return node.basicStatus().softState().role();
  }

  /** The node's term. */
  public long term() {
    return node.basicStatus().hardState().getTerm();
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
   * Handles {@code rd} as the host does; package-private so that the harness's own tests can hand
   * it a Ready that raft must never produce.
   *
   * @throws AssertionError before anything is written if applying {@code rd} would roll the state
   *     machine back or skip entries (see {@link #checkApplicable})
   */
  List<Message> handle(Ready rd) {
    checkApplicable(rd);
    if (rd.hasSnapshot()) {
      storage.applySnapshot(rd.snapshot());
      confState = rd.snapshot().getMetadata().getConfState();
      appliedIndex = rd.snapshot().getMetadata().getIndex();
    }
    storage.append(rd.entries());
    if (rd.hasHardState()) {
      storage.setHardState(rd.hardState());
    }
    for (Entry e : rd.committedEntries()) {
      apply(e);
    }
    readStates.addAll(rd.readStates());
    node.advance(rd);
    return rd.messages();
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
      if (snapIndex <= at) {
        throw new AssertionError(
            "node "
                + id
                + " was handed a snapshot at index "
                + snapIndex
                + " but its state machine has already applied through index "
                + at
                + ": restoring it would roll it back");
      }
      at = snapIndex;
    }
    long snapshotIndex = storage.snapshot().getMetadata().getIndex();
    for (Entry e : rd.committedEntries()) {
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
                + snapshotIndex
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
      at = e.getIndex();
    }
  }

  private long lastAppliedEntryIndex() {
    return applied.isEmpty() ? 0 : applied.get(applied.size() - 1).getIndex();
  }

  private void apply(Entry e) {
    applied.add(e);
    appliedIndex = e.getIndex();
    if (e.getType() != EntryType.EntryNormal) {
      confState = node.applyConfChange(e);
    }
  }

  /**
   * Restarts the node from its storage, as after a crash after the last handled Ready: the RawNode
   * is rebuilt; applied entries are kept (the state machine is assumed durable).
   */
  public void restart() {
    persistConfState(appliedIndex);
    config =
        config.toBuilder()
            .applied(Math.min(appliedIndex, storage.initialState().hardState().getCommit()))
            .build();
    node = factory.apply(config);
  }

  /**
   * Makes the configuration as of {@code appliedIndex} durable, as a host does by snapshotting its
   * state machine together with the ConfState: a restarted node reads its configuration from the
   * storage's snapshot and is not handed the already applied configuration entries again. Nothing
   * is compacted.
   */
  private void persistConfState(long appliedIndex) {
    if (appliedIndex <= storage.snapshot().getMetadata().getIndex()) {
      return;
    }
    boolean changed = !confState.equals(ConfState.getDefaultInstance());
    storage.createSnapshot(
        appliedIndex, changed ? confState : null, com.google.protobuf.ByteString.EMPTY);
  }
}

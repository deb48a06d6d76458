package io.stepraft.raft.testing.interaction;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.Describe;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One node of the environment with the host around it, as the Ready contract asks: a MemoryStorage
 * to persist to, a state machine that only applies configuration changes, and, with asynchronous
 * storage writes, the work queues of its append and apply threads (run when the script says so).
 */
final class HostNode {
  /** The storage threads' addresses (etcd's LocalAppendThread and LocalApplyThread). */
  static final long APPEND_THREAD = -1;

  static final long APPLY_THREAD = -2;

  private final long id;
  private final Config config;
  private final MemoryStorage storage;
  private final RawNode raw;
  private final EventPrinter events;
  private final Output out;
  private final ArrayDeque<Message> appendWork = new ArrayDeque<>();
  private final ArrayDeque<Message> applyWork = new ArrayDeque<>();

  /** The configuration after each applied change (and restored snapshot), by index. */
  private final TreeMap<Long, ConfState> confStates = new TreeMap<>();

  /** The index the state machine has reached: last applied entry or restored snapshot. */
  private long appliedIndex;

  HostNode(Config config, MemoryStorage storage, EventPrinter events, Output out) {
    this.id = config.id();
    this.out = out;
    this.config = config;
    this.storage = storage;
    this.events = events;
    long snapshotIndex = storage.snapshot().getMetadata().getIndex();
    this.confStates.put(snapshotIndex, storage.confState());
    this.appliedIndex = Math.max(snapshotIndex, config.applied());
    this.raw = new RawNode(config);
  }

  long id() {
    return id;
  }

  Config config() {
    return config;
  }

  RawNode raw() {
    return raw;
  }

  MemoryStorage storage() {
    return storage;
  }

  EventPrinter events() {
    return events;
  }

  boolean asyncWrites() {
    return config.asyncStorageWrites();
  }

  boolean hasAppendWork() {
    return !appendWork.isEmpty();
  }

  boolean hasApplyWork() {
    return !applyWork.isEmpty();
  }

  long appliedIndex() {
    return appliedIndex;
  }

  /**
   * Handles a Ready taken from the node and returns the messages for the network. With synchronous
   * writes: persist, apply, advance. With asynchronous writes the storage messages go to the
   * storage threads' queues and nothing else happens yet.
   */
  List<Message> handle(Ready rd) {
    if (asyncWrites()) {
      List<Message> network = new ArrayList<>(rd.messages().size());
      for (Message m : rd.messages()) {
        if (m.getTo() == APPEND_THREAD) {
          appendWork.add(m);
        } else if (m.getTo() == APPLY_THREAD) {
          applyWork.add(m);
        } else {
          network.add(m);
        }
      }
      return network;
    }
    if (rd.hasSnapshot()) {
      persistSnapshot(rd.snapshot());
    }
    storage.append(rd.entries());
    if (rd.hasHardState()) {
      storage.setHardState(rd.hardState());
    }
    apply(rd.committedEntries());
    raw.advance(rd);
    return rd.messages();
  }

  /** The next MsgStorageAppend of the append thread, persisted; its responses are to be sent. */
  Message runAppendThread() {
    Message m = appendWork.remove();
    if (m.hasSnapshot() && m.getSnapshot().getMetadata().getIndex() > 0) {
      persistSnapshot(m.getSnapshot());
    }
    storage.append(m.getEntriesList());
    if (m.hasTerm() || m.hasVote() || m.hasCommit()) {
      storage.setHardState(
          HardState.newBuilder()
              .setTerm(m.getTerm())
              .setVote(m.getVote())
              .setCommit(m.getCommit())
              .build());
    }
    return m;
  }

  /** The next MsgStorageApply of the apply thread, applied; its responses are to be sent. */
  Message runApplyThread() {
    Message m = applyWork.remove();
    apply(m.getEntriesList());
    return m;
  }

  private void persistSnapshot(Snapshot snap) {
    storage.applySnapshot(snap);
    long index = snap.getMetadata().getIndex();
    confStates.tailMap(index, true).clear();
    confStates.put(index, snap.getMetadata().getConfState());
    appliedIndex = index;
  }

  private void apply(List<Entry> committed) {
    for (Entry e : committed) {
      if (e.getType() != EntryType.EntryNormal) {
        try {
          confStates.put(e.getIndex(), raw.applyConfChange(e));
        } catch (InvalidConfChangeException ex) {
          // A host skips a change it cannot apply; the configuration stays as it was.
          out.line("error: cannot apply " + Describe.entry(e) + ": " + ex.getMessage());
        }
      }
      appliedIndex = e.getIndex();
    }
  }

  /**
   * Takes a snapshot of the state machine at {@code index} (with the configuration as of that
   * index) and discards the log up to it.
   *
   * @throws IllegalArgumentException if the state machine has not reached {@code index}
   */
  void compact(long index) {
    if (index > appliedIndex) {
      throw new IllegalArgumentException(
          "node "
              + id
              + " has applied only up to index "
              + appliedIndex
              + ", cannot compact to "
              + index);
    }
    var atIndex = confStates.floorEntry(index);
    if (atIndex == null) {
      throw new IllegalArgumentException(
          "node " + id + " has compacted its log past index " + index + " already");
    }
    ConfState cs = atIndex.getValue();
    storage.createSnapshot(index, cs, ByteString.EMPTY);
    storage.compact(index);
  }
}

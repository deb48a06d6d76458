package io.stepraft.raft.membership;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One RawNode without a network: the test steps peers' messages by hand and reads what the node
 * sends. The host loop persists to a MemoryStorage and applies configuration changes.
 */
final class SoloNode {
  final MemoryStorage storage;
  final RawNode raw;

  private SoloNode(MemoryStorage storage, RawNode raw) {
    this.storage = storage;
    this.raw = raw;
  }

  /** Node {@code id} restored from a snapshot at index 1, term 1 holding {@code cs}. */
  static SoloNode fromConfState(long id, ConfState cs, UnaryOperator<Config.Builder> tweak) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(1).setTerm(1).setConfState(cs))
            .build());
    return of(id, s, tweak);
  }

  /** Node {@code id} over a storage the test prepared. */
  static SoloNode of(long id, MemoryStorage s, UnaryOperator<Config.Builder> tweak) {
    Config.Builder b = Config.builder().id(id).electionTicks(10).heartbeatTicks(1).storage(s);
    return new SoloNode(s, new RawNode(tweak.apply(b).build()));
  }

  /**
   * A storage with a snapshot of {@code cs} at index 1, term 1, then {@code ents}, and a hard
   * state.
   */
  static MemoryStorage storage(ConfState cs, List<Entry> ents, HardState hs) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(1).setTerm(1).setConfState(cs))
            .build());
    s.append(ents);
    s.setHardState(hs);
    return s;
  }

  /** Handles every pending Ready and returns the messages to send. */
  List<Message> cycle() {
    List<Message> out = new ArrayList<>();
    while (raw.hasReady()) {
      Ready rd = raw.ready();
      storage.append(rd.entries());
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      for (Entry e : rd.committedEntries()) {
        apply(e);
      }
      out.addAll(rd.messages());
      raw.advance(rd);
    }
    return out;
  }

  private void apply(Entry e) {
    try {
      if (e.getType() == EntryType.EntryConfChange) {
        raw.applyConfChange(ConfChange.parseFrom(e.getData()));
      } else if (e.getType() == EntryType.EntryConfChangeV2) {
        raw.applyConfChange(ConfChangeV2.parseFrom(e.getData()));
      }
    } catch (InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }

  /** Steps a message from {@code from} of type {@code type} at the node's current term. */
  void stepFrom(long from, MessageType type, long index) {
    raw.step(
        Message.newBuilder()
            .setType(type)
            .setFrom(from)
            .setTo(id())
            .setTerm(term())
            .setIndex(index)
            .build());
  }

  long id() {
    return raw.basicStatus().id();
  }

  long term() {
    return raw.basicStatus().hardState().getTerm();
  }

  long commit() {
    return raw.basicStatus().hardState().getCommit();
  }

  Role role() {
    return raw.basicStatus().softState().role();
  }

  /** The ids the messages of this type go to, in order. */
  static List<Long> recipients(List<Message> msgs, MessageType type) {
    List<Long> out = new ArrayList<>();
    for (Message m : msgs) {
      if (m.getType() == type) {
        out.add(m.getTo());
      }
    }
    return out;
  }
}

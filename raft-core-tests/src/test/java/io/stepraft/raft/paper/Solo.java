package io.stepraft.raft.paper;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Node {@value #ID} alone, driven by hand: the test plays every other server by stepping their
 * messages in and reading what node 1 sends back. Election 10 / heartbeat 1 ticks unless tweaked.
 */
final class Solo {
  static final long ID = 1;

  private final MemoryStorage storage;
  private final Config config;
  private RawNode node;
  private final List<Entry> committed = new ArrayList<>();
  private final List<ReadState> readStates = new ArrayList<>();

  Solo(MemoryStorage storage, UnaryOperator<Config.Builder> tweak) {
    this.storage = storage;
    this.config =
        tweak
            .apply(Config.builder().id(ID).electionTicks(10).heartbeatTicks(1).storage(storage))
            .build();
    this.node = new RawNode(config);
  }

  /** A node on this storage with default settings. */
  static Solo of(MemoryStorage storage) {
    return new Solo(storage, b -> b);
  }

  /** A follower of a cluster of {@code voters} with log [1] at term 1. */
  static Solo follower(int voters) {
    return of(Logs.storage(voters, 1, 1));
  }

  /**
   * The leader of term 2 of a cluster of {@code voters}, elected by everyone, whose empty entry
   * (index 2) every follower acknowledged: all followers replicate, nothing is outstanding.
   */
  static Solo leader(int voters) {
    Solo s = follower(voters);
    s.raw().campaign();
    s.drain();
    for (long id = 2; id <= voters; id++) {
      s.step(Msgs.voteResp(id, 2, false));
    }
    s.drain();
    for (long id = 2; id <= voters; id++) {
      s.step(Msgs.appResp(id, 2, 2));
    }
    s.drain();
    if (s.role() != Role.LEADER || s.commit() != 2) {
      throw new AssertionError(
          "setup: expected leader with commit 2, was " + s.role() + " commit " + s.commit());
    }
    return s;
  }

  RawNode raw() {
    return node;
  }

  MemoryStorage storage() {
    return storage;
  }

  void step(Message... msgs) {
    for (Message m : msgs) {
      node.step(m);
    }
  }

  /** Ticks {@code n} times without handling Readies. */
  void tick(int n) {
    for (int i = 0; i < n; i++) {
      node.tick();
    }
  }

  /**
   * Handles every pending Ready as a host would (persist, apply, advance) and returns the messages
   * to other nodes, in order.
   */
  List<Message> drain() {
    List<Message> out = new ArrayList<>();
    while (node.hasReady()) {
      Ready rd = node.ready();
      if (rd.hasSnapshot()) {
        storage.applySnapshot(rd.snapshot());
      }
      storage.append(rd.entries());
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      committed.addAll(rd.committedEntries());
      readStates.addAll(rd.readStates());
      out.addAll(rd.messages());
      node.advance(rd);
    }
    return out;
  }

  /** Every entry handed out for applying so far, in order. */
  List<Entry> committed() {
    return committed;
  }

  /** Every read state handed out so far, in order. */
  List<ReadState> readStates() {
    return readStates;
  }

  /** The persisted log after the snapshot (call {@link #drain()} first). */
  List<Entry> log() {
    return Logs.entries(storage);
  }

  /** Crashes and restarts the node from its storage. */
  void restart() {
    node = new RawNode(config);
  }

  Role role() {
    return node.basicStatus().softState().role();
  }

  long term() {
    return node.basicStatus().hardState().getTerm();
  }

  long vote() {
    return node.basicStatus().hardState().getVote();
  }

  long commit() {
    return node.basicStatus().hardState().getCommit();
  }

  long lead() {
    return node.basicStatus().softState().lead();
  }
}

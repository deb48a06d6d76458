package io.stepraft.raft.paper;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.testing.StepNode;
import java.util.function.UnaryOperator;

/**
 * Node {@value #ID} alone, driven by hand: the test plays every other server by stepping their
 * messages in and reading what node 1 sends back ({@link StepNode#drain}). Election 10 / heartbeat
 * 1 ticks unless tweaked.
 */
final class Solo {
  static final long ID = 1;

  private Solo() {}

  /** Node {@value #ID} on this storage, tweaked. */
  static StepNode of(MemoryStorage storage, UnaryOperator<Config.Builder> tweak) {
    return StepNode.of(
        tweak
            .apply(Config.builder().id(ID).electionTicks(10).heartbeatTicks(1).storage(storage))
            .build());
  }

  /** A node on this storage with default settings. */
  static StepNode of(MemoryStorage storage) {
    return of(storage, b -> b);
  }

  /** A follower of a cluster of {@code voters} with log [1] at term 1. */
  static StepNode follower(int voters) {
    return of(Logs.storage(voters, 1, 1));
  }

  /**
   * The leader of term 2 of a cluster of {@code voters}, elected by everyone, whose empty entry
   * (index 2) every follower acknowledged: all followers replicate, nothing is outstanding.
   */
  static StepNode leader(int voters) {
    StepNode s = follower(voters);
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
}

package io.stepraft.raft;

import static io.stepraft.raft.BadInputTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.BadInputTest.Fixture;
import io.stepraft.raft.BadInputTest.Fixture.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regression tests for bad input that once got past {@link MessageValidator} and did harm. */
class BadInputRegressionTest {
  /**
   * A follower holds a new entry that is not durable yet; a network message claiming to be the
   * append thread's acknowledgement would mark it stable, so the host would never be asked to
   * write it.
   */
  @Test
  void storageAppendResponseSpoofedFromTheNetworkIsRefused() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    f.cluster.node(1).raw().propose("x".getBytes(StandardCharsets.UTF_8));
    List<Message> out = f.cluster.collect(1);
    for (Message m : out) {
      if (m.getTo() == f.target && m.getType() == MessageType.MsgApp) {
        f.node().raw().step(m);
      }
    }
    Raft r = f.raft();
    assertTrue(r.raftLog.hasNextUnstableEnts(), "the new entry is not durable yet");
    Message spoof = Message.newBuilder().setType(MessageType.MsgStorageAppendResp).setTo(f.target)
        .setFrom(Raft.LOCAL_APPEND_THREAD).setTerm(r.term).setIndex(r.raftLog.lastIndex())
        .setLogTerm(r.raftLog.lastTerm()).build();
    assertRefused(f, spoof, StepLocalMessageException.class);
    assertTrue(r.raftLog.hasNextUnstableEnts(), "the entry must still be handed to the host");
    f.cluster.send(out.stream().filter(m -> m.getTo() != f.target).toArray(Message[]::new));
    for (TestNode n : f.cluster.nodes().values()) {
      assertEquals(List.of("before", "x"), n.appliedData(), "node " + n.id());
    }
    f.assertClusterRecovers("spoofed MsgStorageAppendResp");
  }

  /** A forged apply acknowledgement would move the applied index past entries the host never applied. */
  @Test
  void storageApplyResponseSpoofedFromTheNetworkIsRefused() {
    Fixture f = Fixture.create(Role.LEADER, false);
    Raft r = f.raft();
    long applied = r.raftLog.applied;
    Message spoof = Message.newBuilder().setType(MessageType.MsgStorageApplyResp).setTo(f.target)
        .setFrom(Raft.LOCAL_APPLY_THREAD).addEntries(BadInputTest.entry(applied, r.term)).build();
    assertRefused(f, spoof, StepLocalMessageException.class);
    assertEquals(applied, r.raftLog.applied);
    f.assertClusterRecovers("spoofed MsgStorageApplyResp");
  }

  /** Only the node itself decides to campaign, heartbeat or check its quorum. */
  @Test
  void localTriggersSpoofedAsStorageThreadsAreRefused() {
    for (long spoofed : new long[] {Raft.LOCAL_APPEND_THREAD, Raft.LOCAL_APPLY_THREAD}) {
      Fixture f = Fixture.create(Role.FOLLOWER, false);
      for (MessageType t : new MessageType[] {MessageType.MsgHup, MessageType.MsgBeat, MessageType.MsgCheckQuorum,
          MessageType.MsgStorageAppend, MessageType.MsgStorageApply}) {
        assertRefused(f, Message.newBuilder().setType(t).setFrom(spoofed).setTo(f.target).build(),
            StepLocalMessageException.class);
      }
      assertEquals(StateType.FOLLOWER, f.node().role());
      f.assertClusterRecovers("spoofed local triggers");
    }
  }
}

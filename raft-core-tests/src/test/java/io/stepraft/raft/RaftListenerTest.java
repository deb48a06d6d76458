package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftListenerTest {
  /** Records every event as a line of text. */
  static final class Recorder implements RaftListener {
    final List<String> events = new ArrayList<>();
    final List<byte[]> droppedReads = new ArrayList<>();

    @Override
    public void roleChanged(long nodeId, Role role, long term, long lead) {
      events.add(nodeId + " role " + role + " term " + term);
    }

    @Override
    public void messageSent(long nodeId, Message message) {
      events.add(nodeId + " sent " + message.getType());
    }

    @Override
    public void messageStepped(long nodeId, Message message) {
      events.add(nodeId + " stepped " + message.getType());
    }

    @Override
    public void configChanged(long nodeId, ConfState config) {
      events.add(nodeId + " config " + config.getVotersList());
    }

    @Override
    public void readIndexDropped(long nodeId, byte[] requestContext) {
      droppedReads.add(requestContext);
    }
  }

  @Test
  void listenerSeesRoleChangesMessagesAndConfigurations() {
    Recorder rec = new Recorder();
    StepCluster c = StepCluster.create(3, b -> b.listener(rec));
    c.campaign(1);
    assertTrue(rec.events.contains("1 config [1, 2, 3]"), rec.events.toString());
    assertTrue(rec.events.contains("1 role CANDIDATE term 2"), rec.events.toString());
    assertTrue(rec.events.contains("1 role LEADER term 2"), rec.events.toString());
    assertTrue(rec.events.contains("1 sent MsgVote"), rec.events.toString());
    assertTrue(rec.events.contains("2 stepped MsgVote"), rec.events.toString());
    assertTrue(rec.events.contains("2 sent MsgVoteResp"), rec.events.toString());
  }

  @Test
  void aLocalReadPendingWhenLeadershipIsLostIsReportedDropped() {
    Recorder rec = new Recorder();
    StepCluster c = StepCluster.create(3, b -> b.listener(rec));
    c.campaign(1);
    // Cut the leader off so the read's heartbeat round never completes, then depose it.
    c.isolate(1);
    c.node(1).raw().readIndex(new byte[] {42});
    c.stabilize();
    assertEquals(0, c.node(1).readStates().size());
    c.node(1)
        .raw()
        .step(Messages.message(MessageType.MsgHeartbeat, 2, 1, c.node(1).term() + 1).build());
    assertEquals(1, rec.droppedReads.size());
    assertArrayEquals(new byte[] {42}, rec.droppedReads.get(0));
  }
}

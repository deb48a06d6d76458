package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Flow control: in pipelined replication the leader keeps at most maxInflightMsgs appends and
 * maxInflightBytes payload bytes unacknowledged per follower, pauses when either is reached, and
 * resumes on acknowledgements or, with an empty probe, on a heartbeat response.
 */
class FlowControlScenarioTest {

  /** A leader with a window of 3 messages, whose followers drop every MsgApp from now on. */
  private static StepCluster windowOfThreeWithLostAppends() {
    StepCluster c = StepCluster.create(3, b -> b.maxInflightMsgs(3));
    c.campaign(1);
    c.ignore(MessageType.MsgApp);
    return c;
  }

  /** The leader sends at most maxInflightMsgs appends to an unresponsive follower, then pauses. */
  @Test
  void leaderSendsAtMostMaxInflightMsgsAppendsThenPauses() {
    StepCluster c = windowOfThreeWithLostAppends();
    for (int i = 0; i < 5; i++) {
      proposeRaw(c, 1, "e" + i);
    }
    List<Message> out = c.collect(1);
    assertEquals(3, ofType(out, MessageType.MsgApp, 1, 2).size());
    PeerProgress p = c.node(1).progress(2);
    assertEquals(ProgressState.REPLICATE, p.state());
    assertTrue(p.paused());
    assertEquals(3, p.inflightMessages());
    assertEquals(6, p.inflightBytes(), "three 2-byte payloads are in flight");
  }

  /**
   * A heartbeat response resumes a paused follower with an empty MsgApp, even with a full window.
   */
  @Test
  void heartbeatResponseSendsAnEmptyProbeDespiteAFullWindow() {
    StepCluster c = windowOfThreeWithLostAppends();
    for (int i = 0; i < 5; i++) {
      proposeRaw(c, 1, "e" + i);
    }
    c.collect(1);
    c.node(1).raw().tick();
    deliver(c, ofType(c.collect(1), MessageType.MsgHeartbeat, 1, 2));
    deliver(c, ofType(c.collect(2), MessageType.MsgHeartbeatResp, 2, 1));

    List<Message> apps = ofType(c.collect(1), MessageType.MsgApp, 1, 2);
    assertEquals(1, apps.size(), "exactly one probe: " + apps);
    assertEquals(
        0, apps.get(0).getEntriesCount(), "the window is full: the probe carries no entries");
    PeerProgress p = c.node(1).progress(2);
    assertTrue(p.paused(), "the window is still full");
    assertEquals(3, p.inflightMessages());
  }

  /**
   * Once appends flow again the follower catches up completely, and the inflight counters of every
   * peer return to zero: no message or byte stays counted after its acknowledgement.
   */
  @Test
  void followerCatchesUpAfterRecoveryAndInflightCountersReturnToZero() {
    StepCluster c = windowOfThreeWithLostAppends();
    for (int i = 0; i < 5; i++) {
      proposeRaw(c, 1, "e" + i);
    }
    c.stabilize();
    c.recover();
    c.tickAll(3);
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), n.appliedData(), "node " + n.id());
    }
    assertDrained(c, 1);
  }

  /** The byte limit pauses a follower before the message limit is reached. */
  @Test
  void maxInflightBytesPausesByBytes() {
    StepCluster c =
        StepCluster.create(
            3, b -> b.maxInflightMsgs(100).maxSizePerMsgBytes(10).maxInflightBytes(10));
    c.campaign(1);
    c.ignore(MessageType.MsgApp);
    for (int i = 0; i < 4; i++) {
      proposeRaw(c, 1, "six-b" + i); // 6 payload bytes each
    }
    List<Message> out = c.collect(1);
    assertEquals(
        2, ofType(out, MessageType.MsgApp, 1, 2).size(), "6 + 6 bytes reach the 10-byte limit");
    PeerProgress p = c.node(1).progress(2);
    assertTrue(p.paused());
    assertEquals(2, p.inflightMessages());
    assertEquals(12, p.inflightBytes());

    c.recover();
    c.tickAll(3);
    assertEquals(4, c.node(2).appliedData().size());
    assertDrained(c, 1);
  }

  /**
   * Under random loss of appends and acknowledgements, with proposals of varied sizes, the counters
   * stay within the limits and drain to zero once the network heals.
   */
  @Test
  void inflightCountersStayWithinLimitsAndDrainUnderRandomLoss() {
    StepCluster c =
        StepCluster.create(
            3, b -> b.maxInflightMsgs(4).maxSizePerMsgBytes(32).maxInflightBytes(64));
    c.campaign(1);
    c.drop(1, 3, 0.5);
    c.drop(3, 1, 0.3);
    SplittableRandom random = new SplittableRandom(7);
    boolean sawFullWindow = false;
    for (int i = 0; i < 200; i++) {
      c.propose(1, "x".repeat(1 + random.nextInt(20)) + i);
      if (random.nextInt(4) == 0) {
        c.tickAll(1);
      }
      for (long peer : new long[] {2, 3}) {
        PeerProgress p = c.node(1).progress(peer);
        assertTrue(p.inflightMessages() <= 4, "case " + i + " peer " + peer + ": " + p);
        assertTrue(p.inflightBytes() < 64 + 32, "case " + i + " peer " + peer + ": " + p);
        sawFullWindow |= p.paused() && p.state() == ProgressState.REPLICATE;
      }
    }
    assertTrue(sawFullWindow, "the scenario never filled a window");
    c.recover();
    c.tickAll(5);
    LogAssertions.assertLogsEqual(c);
    assertEquals(200, c.node(3).appliedData().size());
    assertDrained(c, 1);
  }

  /** maxSizePerMsgBytes splits a follower's catch-up into several appends within the limit. */
  @Test
  void maxSizePerMsgBytesSplitsACatchUpIntoSeveralAppends() {
    long maxBytes = 64;
    StepCluster c = StepCluster.create(3, b -> b.maxSizePerMsgBytes(maxBytes));
    c.campaign(1);
    c.isolate(3);
    for (int i = 0; i < 20; i++) {
      c.propose(1, String.format("entry-%04d", i));
    }
    c.recover();
    c.recordDelivered(true);
    c.tickAll(2);

    List<Message> apps = new ArrayList<>();
    for (Message m : ofType(c.delivered(), MessageType.MsgApp, 1, 3)) {
      if (m.getEntriesCount() > 0) {
        apps.add(m);
      }
    }
    long total = 0;
    long expectNext = apps.get(0).getIndex() + 1;
    for (Message m : apps) {
      long size = 0;
      for (Entry e : m.getEntriesList()) {
        assertEquals(expectNext++, e.getIndex(), "entries are sent once, in order");
        size += e.getSerializedSize();
      }
      assertTrue(size <= maxBytes, "a MsgApp of " + size + " bytes exceeds " + maxBytes);
      total += size;
    }
    assertTrue(
        apps.size() >= (total + maxBytes - 1) / maxBytes,
        apps.size() + " appends for " + total + " bytes");
    assertTrue(apps.size() >= 3, "the catch-up was not split: " + apps.size());
    assertEquals(c.node(1).appliedData(), c.node(3).appliedData());
  }

  private static void assertDrained(StepCluster c, long leader) {
    long last = c.node(leader).storage().lastIndex();
    for (long peer : c.nodes().keySet()) {
      PeerProgress p = c.node(leader).progress(peer);
      assertEquals(last, p.match(), "match of " + peer);
      assertEquals(0, p.inflightMessages(), "inflight messages of " + peer);
      assertEquals(0, p.inflightBytes(), "inflight bytes of " + peer);
      assertFalse(p.paused(), "peer " + peer + " is paused");
    }
  }

  /** Steps each message straight into its recipient, bypassing the network's rules. */
  private static void deliver(StepCluster c, List<Message> msgs) {
    for (Message m : msgs) {
      c.node(m.getTo()).raw().step(m);
    }
  }
}

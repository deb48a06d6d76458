package io.stepraft.raft.reads;

import static io.stepraft.raft.reads.Reads.ctx;
import static io.stepraft.raft.reads.Reads.readState;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.ReadIndexDroppedException;
import io.stepraft.raft.ReadOnlyOption;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lease-based reads, and what happens to reads when leadership is lost. */
class ReadIndexLeaseAndLossTest {

  private static StepCluster leaseCluster() {
    StepCluster c =
        StepCluster.create(3, b -> b.checkQuorum(true).readOnlyOption(ReadOnlyOption.LEASE_BASED));
    c.campaign(1);
    c.propose(1, "a");
    return c;
  }

  @Test
  void leaseBasedLeaderAnswersFromItsCommitIndexWithoutAHeartbeatRound() {
    StepCluster c = leaseCluster();
    c.node(1).raw().readIndex(ctx("lease"));
    List<Message> out = c.collect(1);
    assertTrue(ofType(out, MessageType.MsgHeartbeat).isEmpty(), "no MsgHeartbeat: " + out);
    assertEquals(List.of(readState(5, "lease")), c.node(1).readStates());
  }

  @Test
  void leaseBasedFollowerReadIsAnsweredByTheLeaderWithoutHeartbeats() {
    StepCluster c = leaseCluster();
    c.recordDelivered(true);
    c.node(3).raw().readIndex(ctx("lease-f"));
    c.stabilize();
    assertEquals(List.of(readState(5, "lease-f")), c.node(3).readStates());
    assertTrue(ofType(c.delivered(), MessageType.MsgHeartbeat).isEmpty(), c.delivered().toString());
    assertEquals(
        2, c.delivered().size(), "only MsgReadIndex and MsgReadIndexResp: " + c.delivered());
  }

  @Test
  void leaseBasedReadsRequireCheckQuorum() {
    Config.Builder b =
        Config.builder()
            .id(1)
            .storage(new MemoryStorage())
            .readOnlyOption(ReadOnlyOption.LEASE_BASED);
    assertThrows(IllegalArgumentException.class, b::build);
  }

  @Test
  void isolatedLeaseLeaderKeepsAnsweringUntilCheckQuorumDeposesItThenRefuses() {
    StepCluster c = leaseCluster();
    c.isolate(1);
    c.tick(1, 5);
    c.node(1).raw().readIndex(ctx("in-lease"));
    c.stabilize();
    assertEquals(
        List.of(readState(5, "in-lease")),
        c.node(1).readStates(),
        "the lease trusts the clock: no quorum is asked within the election timeout");
    // The first quorum check (tick 10) still counts the acknowledgements from before the cut;
    // the second (tick 20) finds no active follower.
    c.tick(1, 15);
    assertEquals(Role.FOLLOWER, c.node(1).role(), "check quorum deposed the isolated leader");
    assertThrows(ReadIndexDroppedException.class, () -> c.node(1).raw().readIndex(ctx("late")));
  }

  @Test
  void leaderCutOffFromItsQuorumNeverAnswersASafeRead() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.isolate(1);
    c.node(1).raw().readIndex(ctx("cut"));
    c.tick(1, 100);
    assertEquals(Role.LEADER, c.node(1).role(), "without checkQuorum it keeps believing it leads");
    assertTrue(c.node(1).readStates().isEmpty());
  }

  @Test
  void pendingReadIsReportedDroppedWhenCheckQuorumDeposesTheCutOffLeader() {
    Reads.DroppedReads rec = new Reads.DroppedReads();
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true).listener(rec));
    c.campaign(1);
    c.propose(1, "a");
    c.isolate(1);
    c.node(1).raw().readIndex(ctx("cut"));
    c.tick(1, 9);
    assertTrue(rec.dropped.isEmpty());
    c.tick(1, 11);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(List.of("1:cut"), rec.dropped);
    assertTrue(c.node(1).readStates().isEmpty(), "never answered");
  }

  @Test
  void readWaitingForTheNewLeadersFirstCommitIsReportedDroppedWhenItStepsDown() {
    Reads.DroppedReads rec = new Reads.DroppedReads();
    StepCluster c = StepCluster.create(3, b -> b.listener(rec));
    c.ignore(MessageType.MsgAppResp);
    c.campaign(1);
    c.node(1).raw().readIndex(ctx("queued"));
    c.node(2).raw().readIndex(ctx("forwarded"));
    c.stabilize();
    c.node(1)
        .raw()
        .step(Messages.message(MessageType.MsgHeartbeat, 3, 1, c.node(1).term() + 1).build());
    assertEquals(
        List.of("1:queued"),
        rec.dropped,
        "the local read is reported; the forwarded one is for node 2's host to time out");
  }

  @Test
  void readPendingOnAFollowerIsNeitherAnsweredNorReportedWhenItsLeaderChanges() {
    Reads.DroppedReads rec = new Reads.DroppedReads();
    StepCluster c = StepCluster.create(3, b -> b.listener(rec));
    c.campaign(1);
    c.cutOneWay(1, 2);
    c.node(2).raw().readIndex(ctx("lost"));
    c.stabilize();
    c.recover();
    c.campaign(3);
    c.tickAll(3);
    assertEquals(3, c.leader());
    assertTrue(c.node(2).readStates().isEmpty());
    assertTrue(rec.dropped.isEmpty(), "forwarded reads are not tracked: hosts time them out");
  }
}

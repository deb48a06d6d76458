package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regressions for two leader-side gaps inherited from etcd's behaviour. */
class RegressionTransferAndSingletonReadTest {
  /**
   * A lost MsgTimeoutNow was never sent again: the transfer hung until it timed out. The leader now
   * resends it on the caught-up transferee's heartbeat response.
   */
  @Test
  void aLostTimeoutNowIsResentOnTheNextHeartbeatResponse() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.ignore(MessageType.MsgTimeoutNow);
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(1).role(), "the first MsgTimeoutNow was lost");
    assertEquals(2, c.node(1).raw().basicStatus().leadTransferee());
    c.recover();
    c.tick(1, 1); // heartbeat round: the transferee's response triggers a new MsgTimeoutNow
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(Role.FOLLOWER, c.node(1).role());
  }

  /**
   * A single voter answered reads with its commit index at once, even right after a restart in
   * which the commit index (written without sync) went back: a read could miss a write it had
   * acknowledged. It now waits, like any new leader, for an entry of its term to commit.
   */
  @Test
  void aRestartedSingleVoterDoesNotAnswerReadsBelowAnAcknowledgedWrite() {
    // On disk: the configuration (1), the write "a" at index 2 that was acknowledged, and a
    // commit index that lags it because its last update was not synced.
    MemoryStorage storage =
        Storages.withEntries(
            Snapshots.snapshot(1, 1, ConfStates.voters(1)),
            List.of(Entries.entry(2, 2, "a")),
            Storages.hardState(2, 1, 1));
    StepNode node = StepNode.of(Config.builder().id(1).storage(storage).applied(1).build());
    node.raw().campaign();
    node.drain();
    assertEquals(Role.LEADER, node.role());
    node.raw().readIndex(new byte[] {1});
    node.drain();
    List<ReadState> reads = node.readStates();
    assertEquals(1, reads.size(), reads.toString());
    assertTrue(
        reads.get(0).index() >= 2, "a read was answered below the acknowledged write: " + reads);
  }

  /** An applied index above the stored (unsynced) commit index raises the commit index. */
  @Test
  void anAppliedIndexAboveTheStoredCommitIndexRaisesIt() {
    MemoryStorage storage =
        Storages.withEntries(
            Snapshots.snapshot(1, 1, ConfStates.voters(1)),
            List.of(Entries.entry(2, 2), Entries.entry(3, 2)),
            Storages.hardState(2, 1, 1));
    RawNode node = new RawNode(Config.builder().id(1).storage(storage).applied(3).build());
    assertEquals(3, node.basicStatus().hardState().getCommit());
    assertEquals(3, node.basicStatus().applied());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new RawNode(Config.builder().id(1).storage(storage).applied(4).build()));
    assertTrue(
        e.getMessage().contains("applied index 4 is beyond the last index 3"), e.getMessage());
  }
}

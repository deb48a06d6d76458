package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepraft.raft.testing.StepCluster;
import org.junit.jupiter.api.Test;

class ReadIndexBoundTest {
  @Test
  void leaderRefusesLocalReadsBeyondMaxPendingReadIndexRequests() {
    StepCluster c = StepCluster.create(3, b -> b.maxPendingReadIndexRequests(2));
    c.campaign(1);
    c.isolate(1); // no heartbeat round can complete: reads stay pending
    c.node(1).raw().readIndex(new byte[] {1});
    c.node(1).raw().readIndex(new byte[] {2});
    ReadIndexDroppedException e =
        assertThrows(
            ReadIndexDroppedException.class, () -> c.node(1).raw().readIndex(new byte[] {3}));
    assertEquals(true, e.getMessage().contains("2 pending reads"), e.getMessage());
    c.recover();
    c.tickAll(); // a heartbeat round carrying the newest context confirms both pending reads
    assertEquals(2, c.node(1).readStates().size());
    c.node(1).raw().readIndex(new byte[] {3}); // room again
  }
}

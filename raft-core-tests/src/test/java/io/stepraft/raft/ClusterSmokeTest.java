package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSmokeTest {
  @Test
  void threeNodesElectALeaderAndReplicateAProposal() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "hello");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("hello"), n.appliedData(), "node " + n.id());
    }
  }

  @Test
  void singleNodeCommitsAfterItsOwnWriteIsDurable() {
    StepCluster c = StepCluster.create(1);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(1).appliedData());
  }

  @Test
  void electionTimeoutElectsSomeLeader() {
    StepCluster c = StepCluster.create(5);
    c.tickAll(30);
    long leader = c.leader();
    assertEquals(Role.LEADER, c.node(leader).role());
    c.propose(leader, "x");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("x"), n.appliedData(), "node " + n.id());
    }
  }
}

package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.testing.Cluster;
import io.stepraft.raft.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSmokeTest {
  @Test
  void threeNodesElectALeaderAndReplicateAProposal() {
    Cluster c = Cluster.create(3);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "hello");
    for (TestNode n : c.nodes().values()) {
      assertEquals(List.of("hello"), n.appliedData(), "node " + n.id());
    }
  }

  @Test
  void singleNodeCommitsAfterItsOwnWriteIsDurable() {
    Cluster c = Cluster.create(1);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(1).appliedData());
  }

  @Test
  void electionTimeoutElectsSomeLeader() {
    Cluster c = Cluster.create(5);
    c.tickAll(30);
    long leader = c.leader();
    assertEquals(Role.LEADER, c.node(leader).role());
    c.propose(leader, "x");
    for (TestNode n : c.nodes().values()) {
      assertEquals(List.of("x"), n.appliedData(), "node " + n.id());
    }
  }
}

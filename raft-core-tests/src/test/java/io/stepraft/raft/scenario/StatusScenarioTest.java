package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.Role;
import io.stepraft.raft.Status;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RawNode.status(): per-peer progress on the leader only; everyone reports its configuration. */
class StatusScenarioTest {

  /** The leader reports every voter, itself included, caught up and replicating. */
  @Test
  void leaderStatusReportsProgressForEveryPeer() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    Status s = c.node(1).raw().status();
    long last = c.node(1).storage().lastIndex();
    assertEquals(Role.LEADER, s.role());
    assertEquals(1, s.lead());
    assertEquals(List.of(1L, 2L, 3L), List.copyOf(s.progress().keySet()));
    for (Map.Entry<Long, PeerProgress> e : s.progress().entrySet()) {
      PeerProgress p = e.getValue();
      assertEquals(last, p.match(), "match of " + e.getKey());
      assertEquals(last + 1, p.next(), "next of " + e.getKey());
      assertEquals(ProgressState.REPLICATE, p.state(), "state of " + e.getKey());
      assertFalse(p.learner());
    }
    assertEquals(List.of(1L, 2L, 3L), s.config().getVotersList().stream().sorted().toList());
  }

  /** Followers, candidates and pre-candidates report an empty progress map and their config. */
  @Test
  void nonLeadersReportAnEmptyProgressMap() {
    StepCluster c = StepCluster.create(3, b -> b.preVote(true));
    c.campaign(1);
    for (long id : new long[] {2, 3}) {
      Status s = c.node(id).raw().status();
      assertEquals(Role.FOLLOWER, s.role());
      assertTrue(s.progress().isEmpty(), "follower " + id + ": " + s.progress());
      assertEquals(3, s.config().getVotersCount());
    }
    c.isolate(3);
    c.campaign(3);
    assertEquals(Role.PRE_CANDIDATE, c.node(3).role());
    assertTrue(c.node(3).raw().status().progress().isEmpty());
  }

  /** A candidate has no progress to report either. */
  @Test
  void candidateReportsAnEmptyProgressMap() {
    StepCluster c = StepCluster.create(3);
    c.isolate(2);
    c.campaign(2);
    assertEquals(Role.CANDIDATE, c.node(2).role());
    assertTrue(c.node(2).raw().status().progress().isEmpty());
  }

  /**
   * The leader's view of a cut-off peer: its match stays behind, and CheckQuorum marks it inactive.
   */
  @Test
  void leaderStatusShowsALaggingInactivePeer() {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true));
    c.campaign(1);
    long before = c.node(1).storage().lastIndex();
    c.isolate(3);
    for (int i = 0; i < 3; i++) {
      c.propose(1, "e" + i);
    }
    c.tickAll(10); // one quorum check: everyone starts the next period inactive
    c.tickAll(1); // node 2 answers a heartbeat; node 3 cannot
    Map<Long, PeerProgress> progress = c.node(1).raw().status().progress();
    long last = c.node(1).storage().lastIndex();
    assertEquals(last, progress.get(2L).match());
    assertEquals(before, progress.get(3L).match());
    assertTrue(progress.get(2L).recentActive());
    assertFalse(progress.get(3L).recentActive());
  }

  /** A leader that steps down stops reporting progress. */
  @Test
  void leaderThatStepsDownStopsReportingProgress() {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true));
    c.campaign(1);
    assertEquals(3, c.node(1).raw().status().progress().size());
    c.isolate(1);
    c.tick(1, 20);
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertTrue(c.node(1).raw().status().progress().isEmpty());
  }

  /** basicStatus reports what the host applied and the node's hard state. */
  @Test
  void basicStatusReportsAppliedIndexAndHardState() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    proposeRaw(c, 1, "b");
    c.stabilize();
    for (StepNode n : c.nodes().values()) {
      long lastApplied = n.applied().get(n.applied().size() - 1).getIndex();
      assertEquals(lastApplied, n.raw().basicStatus().applied(), "node " + n.id());
      assertEquals(n.commit(), lastApplied, "node " + n.id());
      assertEquals(0, n.raw().basicStatus().leadTransferee());
    }
  }
}

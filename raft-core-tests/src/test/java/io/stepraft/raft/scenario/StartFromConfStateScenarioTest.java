package io.stepraft.raft.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A new cluster whose members start from {@link MemoryStorage#withConfState}: the configuration at
 * index 0, an empty log, no bootstrap entries. Each member can be elected and replicate; a restart
 * needs the same configuration back from the host.
 */
class StartFromConfStateScenarioTest {
  private static final ConfState VOTERS_123 = ConfStates.voters(1, 2, 3);

  private static StepCluster cluster(ConfState cs, int size, UnaryOperator<Config.Builder> tweak) {
    List<MemoryStorage> storages = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      storages.add(MemoryStorage.withConfState(cs));
    }
    return StepCluster.fromStorages(storages, tweak);
  }

  private static StepCluster cluster123() {
    return cluster(VOTERS_123, 3, b -> b);
  }

  @ParameterizedTest(name = "node {0} campaigns")
  @ValueSource(longs = {1, 2, 3})
  void everyMemberCanBeElectedAndItsProposalsReachEveryNode(long candidate) {
    StepCluster c = cluster123();
    assertEquals(0, c.leader(), "nobody leads before an election");
    c.campaign(candidate);
    assertEquals(candidate, c.leader());
    c.propose(candidate, "x");
    long follower = candidate % 3 + 1;
    c.propose(follower, "y"); // forwarded to the leader
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("x", "y"), n.appliedData(), "node " + n.id());
      assertEquals(
          List.of(1L, 2L, 3L), n.raw().status().config().getVotersList(), "node " + n.id());
      assertEquals(3, n.commit(), "node " + n.id());
    }
  }

  /** The log holds no configuration entries: index 1 is the first leader's empty entry. */
  @Test
  void theLogStartsWithTheFirstLeadersEntry() {
    StepCluster c = cluster123();
    c.campaign(2);
    for (StepNode n : c.nodes().values()) {
      MemoryStorage s = n.storage();
      assertEquals(1, s.lastIndex(), "node " + n.id());
      Entry first = s.entries(1, 2, Long.MAX_VALUE).get(0);
      assertEquals(EntryType.EntryNormal, first.getType());
      assertTrue(first.getData().isEmpty());
      assertEquals(1, first.getTerm(), "elected in term 1");
      assertEquals(1, s.hardState().getCommit(), "node " + n.id());
    }
  }

  @Test
  void aLeaderIsElectedByElectionTimeoutsAlone() {
    StepCluster c = cluster(VOTERS_123, 3, b -> b.preVote(true).checkQuorum(true));
    for (int i = 0; i < 100 && c.leader() == 0; i++) {
      c.tickAll();
    }
    long leader = c.leader();
    assertNotEquals(0, leader, "no leader after 100 ticks");
    assertEquals(1, c.nodes().values().stream().filter(n -> n.role() == Role.LEADER).count());
    c.propose(leader, "x");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("x"), n.appliedData(), "node " + n.id());
    }
  }

  @Test
  void aSingleVoterLeadsAsSoonAsItCampaigns() {
    StepCluster c = cluster(ConfStates.voters(1), 1, b -> b);
    c.campaign(1);
    assertEquals(1, c.leader());
    c.propose(1, "x");
    assertEquals(List.of("x"), c.node(1).appliedData());
  }

  @Test
  void aLearnerOfTheInitialConfigurationReplicatesButIsNotElected() {
    ConfState cs = ConfStates.withLearners(ConfStates.voters(1, 2), 3);
    StepCluster c = cluster(cs, 3, b -> b);
    c.campaign(3);
    assertEquals(0, c.leader());
    assertEquals(Role.FOLLOWER, c.node(3).role());
    c.campaign(1);
    c.propose(1, "x");
    assertEquals(List.of("x"), c.node(3).appliedData());
  }

  /** A restart through a snapshot at the applied index, which carries the configuration. */
  @Test
  void aRestartedMemberCatchesUpAndCanLead() {
    StepCluster c = cluster123();
    c.campaign(1);
    c.propose(1, "a");
    c.node(3).restart();
    c.propose(1, "b");
    assertEquals(List.of("a", "b"), c.node(3).appliedData());
    c.isolate(1);
    c.campaign(3);
    assertEquals(3, c.leader());
    c.recover();
    c.propose(3, "c");
    c.tickAll(2); // node 1 missed the election: a heartbeat round unpauses its probe
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a", "b", "c"), n.appliedData(), "node " + n.id());
    }
  }

  /**
   * A restart from the log alone, as a host replays its WAL: with the same ConfState given to
   * withConfState again and {@code applied} 0, the node has its members back and is handed every
   * committed entry again.
   */
  @Test
  void aMemberRestartedFromItsLogAndTheSameConfStateHasItsMembersBack() {
    MemoryStorage replayed = MemoryStorage.withConfState(VOTERS_123);
    StepNode restarted = restartFromLog(replayed);
    assertEquals(List.of(1L, 2L, 3L), restarted.raw().status().config().getVotersList());
    Ready rd = restarted.raw().ready();
    List<String> data = new ArrayList<>();
    for (Entry e : rd.committedEntries()) {
      data.add(e.getData().toStringUtf8());
    }
    assertEquals(List.of("", "a"), data, "applied 0: the committed entries come again");
    restarted.handle(rd);
    restarted.raw().campaign();
    assertEquals(Role.CANDIDATE, restarted.role(), "it may campaign");
  }

  /**
   * The configuration is not in the log: a host that forgets it restarts a node with no members.
   */
  @Test
  void aMemberRestartedWithoutItsConfStateKnowsNoMembersAndCannotCampaign() {
    StepNode restarted = restartFromLog(new MemoryStorage());
    assertEquals(0, restarted.raw().status().config().getVotersCount());
    restarted.raw().campaign();
    assertEquals(Role.FOLLOWER, restarted.role());
  }

  /**
   * Runs a cluster to commit "a", then rebuilds node 2 over {@code replayed} + its log and hard
   * state.
   */
  private static StepNode restartFromLog(MemoryStorage replayed) {
    StepCluster c = cluster123();
    c.campaign(1);
    c.propose(1, "a");
    MemoryStorage before = c.node(2).storage();
    replayed.append(before.entries(1, before.lastIndex() + 1, Long.MAX_VALUE));
    replayed.setHardState(before.hardState());
    assertEquals(2, replayed.hardState().getCommit());
    return StepNode.of(Config.builder().id(2).storage(replayed).build());
  }

  @Test
  void bootstrapRefusesAStorageThatAlreadyHoldsAConfiguration() {
    RawNode node =
        new RawNode(
            Config.builder().id(1).storage(MemoryStorage.withConfState(VOTERS_123)).build());
    IllegalStateException ex =
        assertThrows(IllegalStateException.class, () -> node.bootstrap(List.of(Peer.of(1))));
    assertTrue(ex.getMessage().contains("already holds a configuration"), ex.getMessage());
    assertFalse(node.hasReady(), "nothing changed");
    assertEquals(List.of(1L, 2L, 3L), node.status().config().getVotersList());
  }
}

package io.stepraft.raft.scenario;

import static io.stepraft.raft.testing.Messages.message;
import static io.stepraft.raft.testing.Messages.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restarts from persisted state: term, vote and commit index survive in the HardState, the log in
 * the Storage; Config.applied tells the node what the state machine already holds.
 */
class RestartScenarioTest {

  private static StepCluster clusterWithTwoCommittedProposals() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.propose(1, "a");
    c.propose(1, "b");
    return c;
  }

  /** Every node restarted from its storage has the term, vote and commit index it persisted. */
  @Test
  void restartedNodesKeepTermVoteAndCommit() {
    StepCluster c = clusterWithTwoCommittedProposals();
    Map<Long, HardState> before = new HashMap<>();
    for (StepNode n : c.nodes().values()) {
      before.put(n.id(), n.raw().basicStatus().hardState());
      n.restart();
    }
    for (StepNode n : c.nodes().values()) {
      HardState hs = n.raw().basicStatus().hardState();
      assertEquals(before.get(n.id()), hs, "node " + n.id());
      assertEquals(1, hs.getVote(), "node " + n.id() + " voted for 1");
      assertEquals(Role.FOLLOWER, n.role(), "a restarted node starts as a follower");
      assertEquals(0, n.lead(), "a restarted node knows no leader");
    }
  }

  /** Entries up to Config.applied are not handed out again; the ones after it are, once each. */
  @Test
  void restartedNodeHandsOutOnlyCommittedEntriesAfterConfigApplied() {
    List<Entry> log = Entries.range(2, 10, 2);
    HardState hs = Storages.hardState(2, 1, 10);
    Snapshot snapshot = Snapshots.snapshot(1, 1, ConfStates.voters(1, 2, 3));

    RawNode upToDate = new RawNode(config(Storages.withEntries(snapshot, log, hs), 10));
    assertEquals(10, upToDate.basicStatus().applied());
    assertTrue(
        !upToDate.hasReady() || upToDate.ready().committedEntries().isEmpty(),
        "entries up to applied were handed out again");

    RawNode behind = new RawNode(config(Storages.withEntries(snapshot, log, hs), 6));
    assertTrue(behind.hasReady());
    Ready rd = behind.ready();
    assertEquals(
        List.of(7L, 8L, 9L, 10L), rd.committedEntries().stream().map(Entry::getIndex).toList());
    behind.advance(rd);
    assertEquals(10, behind.basicStatus().applied());
    assertFalse(behind.hasReady(), "committed entries must be handed out once");
  }

  private static Config config(MemoryStorage storage, long applied) {
    return Config.builder()
        .id(1)
        .electionTicks(10)
        .heartbeatTicks(1)
        .storage(storage)
        .applied(applied)
        .build();
  }

  /**
   * A whole cluster restarted after committing entries elects a leader and continues; no entry is
   * applied twice (the harness fails on a repeated index) and the logs agree.
   */
  @Test
  void restartedClusterContinuesWithoutReapplyingEntries() {
    StepCluster c = clusterWithTwoCommittedProposals();
    for (StepNode n : c.nodes().values()) {
      n.restart();
    }
    c.tickAll(50);
    long leader = c.leader();
    assertTrue(leader != 0, "no leader after the restart");
    c.propose(leader, "c");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a", "b", "c"), n.appliedData(), "node " + n.id());
    }
    LogAssertions.assertLogsEqual(c);
  }

  /**
   * The configuration is part of the durable state: the harness persists it (as a snapshot at the
   * applied index, without compacting) before a restart, so the restarted node is a voter again and
   * can campaign.
   */
  @Test
  void restartedNodeKeepsItsConfigurationPersistedWithTheAppliedIndex() {
    StepCluster c = clusterWithTwoCommittedProposals();
    c.node(2).restart();
    assertEquals(
        List.of(1L, 2L, 3L),
        c.node(2).raw().status().config().getVotersList().stream().sorted().toList());
    c.node(3).restart();
    assertEquals(
        List.of(1L, 2L, 3L),
        c.node(3).raw().status().config().getVotersList().stream().sorted().toList());
    c.campaign(3);
    assertEquals(Role.LEADER, c.node(3).role());
  }

  /**
   * A restarted leader comes back as a follower at its term; the cluster re-elects and continues.
   */
  @Test
  void restartedLeaderBecomesAFollowerAndTheClusterReelects() {
    StepCluster c = clusterWithTwoCommittedProposals();
    long term = c.node(1).term();
    c.node(1).restart();
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(term, c.node(1).term());

    c.tickAll(50);
    long leader = c.leader();
    assertTrue(leader != 0, "no leader after the leader restarted");
    assertTrue(c.node(leader).term() > term);
    c.propose(leader, "c");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("a", "b", "c"), n.appliedData(), "node " + n.id());
    }
  }

  /**
   * The vote is durable: a node that voted for 2 in term T and restarts refuses another candidate
   * of term T, though its log is as up to date, and grants 2 again.
   */
  @Test
  void nodeThatVotedInATermDoesNotVoteForAnotherCandidateOfThatTermAfterRestart() {
    StepCluster c = StepCluster.create(3);
    c.isolate(1);
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    long term = c.node(3).term();
    assertEquals(2, c.node(3).raw().basicStatus().hardState().getVote());

    StepNode voter = c.node(3);
    voter.restart();
    assertEquals(2, voter.raw().basicStatus().hardState().getVote());
    assertEquals(0, voter.lead());
    long last = voter.storage().lastIndex();
    long lastTerm = voter.storage().term(last);

    voter
        .raw()
        .step(message(MessageType.MsgVote, 1, 3, term).setIndex(last).setLogTerm(lastTerm).build());
    List<Message> toOther = ofType(c.collect(3), MessageType.MsgVoteResp, 3, 1);
    assertEquals(1, toOther.size());
    assertTrue(toOther.get(0).getReject(), "voted twice in term " + term);

    voter
        .raw()
        .step(message(MessageType.MsgVote, 2, 3, term).setIndex(last).setLogTerm(lastTerm).build());
    List<Message> toSame = ofType(c.collect(3), MessageType.MsgVoteResp, 3, 2);
    assertEquals(1, toSame.size());
    assertFalse(toSame.get(0).getReject(), "a repeated request from the same candidate is granted");
    assertEquals(term, voter.term());
  }

  /** A follower restarted while cut off catches up on everything it missed once it is back. */
  @Test
  void restartedFollowerCatchesUpOnMissedEntries() {
    StepCluster c = clusterWithTwoCommittedProposals();
    c.isolate(3);
    c.propose(1, "c");
    c.node(3).restart();
    c.propose(1, "d");
    c.recover();
    c.tickAll(3);
    assertEquals(List.of("a", "b", "c", "d"), c.node(3).appliedData());
    LogAssertions.assertLogsEqual(c);
  }

  /** A restarted node keeps entries it persisted but that were not yet committed. */
  @Test
  void restartedNodeKeepsPersistedUncommittedEntries() {
    StepCluster c = clusterWithTwoCommittedProposals();
    c.ignore(MessageType.MsgAppResp);
    c.propose(1, "pending");
    long last = c.node(2).storage().lastIndex();
    long commit = c.node(2).commit();
    assertTrue(last > commit, "the entry should be persisted on node 2 but not committed");

    c.node(2).restart();
    assertEquals(last, c.node(2).storage().lastIndex());
    assertEquals(commit, c.node(2).commit());
    c.recover();
    c.tickAll(3);
    assertEquals(List.of("a", "b", "pending"), c.node(2).appliedData());
  }
}

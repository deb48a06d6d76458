package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.MembershipChanges;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the simulator (a durability violation, seed 94985 of the soak before the fix). Voters
 * {1, 2, 3}; the leader committed a joint change at index 52 (add 4, remove 2) and appended the
 * change that leaves it at 53. Node 2 received 53 together with commit 52, and crashed while
 * writing them: the entry became durable, the hard state with the new commit index was torn off.
 * Restarted, it held both changes but knew neither was committed, so it still used {1, 2, 3}. It
 * campaigned, won with votes from 2 and 3, and committed its own entry at 54 (and so the change at
 * 53 that makes {1, 3, 4} the configuration) with acknowledgements from 1 and 2 alone: a quorum of
 * {1, 2, 3}, but not of the joint configuration that must commit 53. {3, 4}, a quorum of the new
 * configuration, lacked the entry. A configuration two changes behind the cluster's may have
 * quorums disjoint from the cluster's.
 *
 * <p>A leader proposes a change only once every earlier one is applied, so a log holding two
 * unapplied changes means the first is committed, whether or not this node still knows it. Such a
 * node now refuses to campaign, as it does when it knows a change is committed but not applied, and
 * raises its commit index to the change proven committed, so that it applies it and can campaign at
 * its next attempt (refusing alone would lose liveness if every node were in that state).
 */
class RegressionCampaignTwoConfigurationsBehindTest {
  private static final long SNAPSHOT_INDEX = 51;
  private static final long TERM = 4;

  @Test
  void aNodeWithTwoUnappliedConfigurationChangesInItsLogDoesNotCampaign() {
    StepNode n = node(false, jointChange(), MembershipChanges.leaveJoint());
    n.raw().campaign();
    List<Message> out = n.drain();
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(TERM, n.term(), "the term did not move");
    assertTrue(out.stream().noneMatch(m -> m.getType() == MessageType.MsgVote), out.toString());
  }

  /**
   * Refusing alone would cost liveness if every node were in that state: the node also raises its
   * commit index to the change the later one proves committed, the host applies it, and the node
   * campaigns at its next attempt, in the joint configuration.
   */
  @Test
  void theProvenCommittedChangeIsHandedOutAndTheNodeThenCampaignsInTheNewConfiguration() {
    StepNode n = node(false, jointChange(), MembershipChanges.leaveJoint());
    n.raw().campaign();
    assertEquals(SNAPSHOT_INDEX + 1, n.commit());
    Ready rd = n.raw().ready();
    assertEquals(
        List.of(SNAPSHOT_INDEX + 1), rd.committedEntries().stream().map(Entry::getIndex).toList());
    n.handle(rd);
    ConfState cs = n.confState();
    assertEquals(List.of(1L, 3L, 4L), cs.getVotersList().stream().sorted().toList());
    assertEquals(List.of(1L, 2L, 3L), cs.getVotersOutgoingList().stream().sorted().toList());
    n.raw().campaign();
    List<Message> out = n.drain();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(
        List.of(1L, 3L, 4L),
        out.stream()
            .filter(m -> m.getType() == MessageType.MsgVote)
            .map(Message::getTo)
            .sorted()
            .toList(),
        "votes are asked from both halves of the joint configuration");
  }

  @Test
  void aNodeWithOneUnappliedConfigurationChangeStillCampaigns() {
    StepNode n = node(false, jointChange());
    n.raw().campaign();
    List<Message> out = n.drain();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(
        2, out.stream().filter(m -> m.getType() == MessageType.MsgVote).count(), out.toString());
  }

  @Test
  void withoutConfChangeValidationTwoUnappliedChangesProveNothingAndTheNodeCampaigns() {
    StepNode n = node(true, jointChange(), MembershipChanges.leaveJoint());
    n.raw().campaign();
    n.drain();
    assertEquals(Role.CANDIDATE, n.role());
  }

  private static ConfChangeV2 jointChange() {
    return MembershipChanges.auto(
        MembershipChanges.single(ConfChangeType.ConfChangeAddNode, 4),
        MembershipChanges.single(ConfChangeType.ConfChangeRemoveNode, 2));
  }

  /**
   * Node 2 restarted from a snapshot at 51 (voters 1, 2, 3) with {@code changes} at 52, 53, ...
   * durable after it, and a hard state whose commit index is still 51.
   */
  private static StepNode node(boolean disableConfChangeValidation, ConfChangeV2... changes) {
    List<Entry> ents = new ArrayList<>();
    for (int i = 0; i < changes.length; i++) {
      ents.add(Entries.confChange(SNAPSHOT_INDEX + 1 + i, TERM, changes[i]));
    }
    MemoryStorage storage =
        Storages.withEntries(
            Snapshots.snapshot(SNAPSHOT_INDEX, TERM, ConfStates.voters(1, 2, 3)),
            ents,
            Storages.hardState(TERM, 1, SNAPSHOT_INDEX));
    return StepNode.of(
        Config.builder()
            .id(2)
            .storage(storage)
            .electionTicks(10)
            .heartbeatTicks(1)
            .applied(SNAPSHOT_INDEX)
            .disableConfChangeValidation(disableConfChangeValidation)
            .build());
  }
}

package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.ADD;
import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.membership.Ccs.isEmptyNormal;
import static io.stepraft.raft.membership.Ccs.lastEntry;
import static io.stepraft.raft.membership.Ccs.propose;
import static io.stepraft.raft.testing.MembershipChanges.explicit;
import static io.stepraft.raft.testing.MembershipChanges.leaveJoint;
import static io.stepraft.raft.testing.MembershipChanges.single;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.MembershipChanges;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader's checks on proposed configuration changes: a change that must not go in now is
 * replaced by an empty normal entry (the proposal is not refused, so the caller's index bookkeeping
 * still works), unless disableConfChangeValidation is set.
 */
class ConfChangeValidationTest {
  private static StepCluster leader1() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    return c;
  }

  /**
   * Only one change may be pending: a second one proposed before the first is applied is emptied.
   */
  @Test
  void aSecondChangeBeforeTheFirstIsAppliedBecomesAnEmptyEntry() {
    StepCluster c = leader1();
    RawNode leader = c.node(1).raw();
    leader.proposeConfChange(v1(LEARNER, 4));
    leader.proposeConfChange(v1(LEARNER, 5));
    c.stabilize();
    List<Entry> log = c.node(1).log();
    Entry first = log.get(log.size() - 2);
    assertEquals(EntryType.EntryConfChange, first.getType());
    assertTrue(isEmptyNormal(log.get(log.size() - 1)), log.get(log.size() - 1).toString());
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of(4L), n.confState().getLearnersList(), "node " + n.id());
    }
  }

  /** Once the pending change is applied the next change is accepted. */
  @Test
  void aChangeProposedAfterThePendingOneIsAppliedGoesIn() {
    StepCluster c = leader1();
    propose(c, 1, v1(LEARNER, 4));
    propose(c, 1, v1(LEARNER, 5));
    assertEquals(EntryType.EntryConfChange, lastEntry(c.node(1)).getType());
    assertEquals(List.of(4L, 5L), c.node(2).confState().getLearnersList());
  }

  /** With disableConfChangeValidation the second change goes in unchecked and is applied. */
  @Test
  void withValidationDisabledASecondPendingChangeGoesIn() {
    StepCluster c = StepCluster.create(3, b -> b.disableConfChangeValidation(true));
    c.campaign(1);
    RawNode leader = c.node(1).raw();
    leader.proposeConfChange(v1(LEARNER, 4));
    leader.proposeConfChange(v1(LEARNER, 5));
    c.stabilize();
    List<Entry> log = c.node(1).log();
    assertEquals(EntryType.EntryConfChange, log.get(log.size() - 1).getType());
    assertEquals(EntryType.EntryConfChange, log.get(log.size() - 2).getType());
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of(4L, 5L), n.confState().getLearnersList(), "node " + n.id());
    }
  }

  /** A normal proposal between two pending changes is untouched; the second change is emptied. */
  @Test
  void aNormalEntryBetweenTwoChangesDoesNotLiftThePendingRule() {
    StepCluster c = leader1();
    RawNode leader = c.node(1).raw();
    leader.proposeConfChange(v1(LEARNER, 4));
    leader.propose(new byte[] {7});
    leader.proposeConfChange(MembershipChanges.auto(single(LEARNER, 5)));
    c.stabilize();
    List<Entry> log = c.node(1).log();
    int n = log.size();
    assertEquals(EntryType.EntryConfChange, log.get(n - 3).getType());
    assertEquals(EntryType.EntryNormal, log.get(n - 2).getType());
    assertEquals(1, log.get(n - 2).getData().size(), "normal proposals are untouched");
    assertTrue(isEmptyNormal(log.get(n - 1)));
  }

  /** The empty change that leaves a joint configuration is refused outside one. */
  @Test
  void leavingANonJointConfigurationIsRefused() {
    StepCluster c = leader1();
    propose(c, 1, leaveJoint());
    assertTrue(isEmptyNormal(lastEntry(c.node(1))), lastEntry(c.node(1)).toString());
    assertEquals(List.of(1L, 2L, 3L), c.node(2).confState().getVotersList());
  }

  /** While joint, any change other than leaving is refused: joint states do not nest. */
  @Test
  void enteringJointWhileJointIsRefused() {
    StepCluster c = leader1();
    c.addNode(4);
    propose(c, 1, explicit(single(ADD, 4)));
    assertEquals(List.of(1L, 2L, 3L), c.node(1).confState().getVotersOutgoingList());
    propose(c, 1, explicit(single(LEARNER, 5)));
    assertTrue(isEmptyNormal(lastEntry(c.node(1))));
    propose(c, 1, v1(LEARNER, 5));
    assertTrue(isEmptyNormal(lastEntry(c.node(1))), "a simple change is refused too");
    assertEquals(List.of(), c.node(2).confState().getLearnersList());
    propose(c, 1, leaveJoint());
    assertEquals(EntryType.EntryConfChangeV2, lastEntry(c.node(1)).getType());
    assertEquals(List.of(1L, 2L, 3L, 4L), c.node(2).confState().getVotersList());
    assertEquals(List.of(), c.node(2).confState().getVotersOutgoingList());
  }

  /**
   * A new leader does not know whether its unapplied tail holds a change, so it refuses changes
   * until everything in its log at election time is applied.
   */
  @Test
  void aNewLeaderRefusesChangesUntilItsLogAtElectionIsApplied() {
    StepNode n =
        Ccs.restored(
            1,
            ConfStates.voters(1),
            List.of(Entries.entry(2, 1)),
            Storages.hardState(1, 0, 1),
            b -> b);
    n.raw().campaign();
    Ready rd = n.raw().ready();
    n.handle(rd); // the own vote is counted: leader, with index 2 not yet applied
    assertEquals(Role.LEADER, n.role());
    n.raw().proposeConfChange(v1(LEARNER, 2));
    rd = n.raw().ready();
    List<Entry> ents = rd.entries();
    assertEquals(List.of(3L, 4L), List.of(ents.get(0).getIndex(), ents.get(1).getIndex()));
    assertTrue(isEmptyNormal(ents.get(1)), "refused: index 2 is not applied yet");
    n.handle(rd);
    n.drain(); // commits and applies up to 4
    n.raw().proposeConfChange(v1(LEARNER, 2));
    n.drain();
    assertEquals(List.of(2L), n.raw().status().config().getLearnersList());
  }

  /**
   * Regression: an empty ConfChangeV2 with a joint transition passed the leader's check as a "leave
   * joint" (only the number of changes was looked at), but applying it means entering a joint
   * configuration from a joint one, so every node's applyConfChange refused the committed entry.
   * Only the empty change with the automatic transition leaves; this one is emptied.
   */
  @Test
  void anEmptyChangeWithAJointTransitionDoesNotPassAsLeavingJoint() {
    StepCluster c = leader1();
    c.addNode(4);
    propose(c, 1, explicit(single(ADD, 4)));
    propose(c, 1, explicit());
    assertTrue(isEmptyNormal(lastEntry(c.node(1))), lastEntry(c.node(1)).toString());
    propose(c, 1, MembershipChanges.implicit());
    assertTrue(isEmptyNormal(lastEntry(c.node(1))), lastEntry(c.node(1)).toString());
    assertEquals(List.of(1L, 2L, 3L), c.node(2).confState().getVotersOutgoingList(), "still joint");
    propose(c, 1, leaveJoint());
    assertEquals(List.of(), c.node(2).confState().getVotersOutgoingList());
  }

  /** Outside a joint configuration an empty change is refused whatever its transition. */
  @Test
  void anEmptyChangeWithAJointTransitionIsRefusedOutsideJointToo() {
    StepCluster c = leader1();
    propose(c, 1, explicit());
    assertTrue(isEmptyNormal(lastEntry(c.node(1))));
    assertEquals(List.of(), c.node(2).confState().getVotersOutgoingList());
  }
}

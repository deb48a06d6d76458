package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.ADD;
import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.membership.Ccs.REMOVE;
import static io.stepraft.raft.testing.MembershipChanges.explicit;
import static io.stepraft.raft.testing.MembershipChanges.leaveJoint;
import static io.stepraft.raft.testing.MembershipChanges.single;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.RaftListener;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Status;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.StepCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * RawNode.applyConfChange: invalid changes are refused without a trace; v1 changes are v2 changes.
 */
class ConfChangeApplyTest {
  /** Counts configuration switches. */
  private static final class Switches implements RaftListener {
    final List<ConfState> seen = new ArrayList<>();

    @Override
    public void configChanged(long nodeId, ConfState config) {
      seen.add(config);
    }
  }

  private static void assertRefusedWithoutTrace(
      StepCluster c, Switches sw, Consumer<RawNode> apply) {
    RawNode raw = c.node(1).raw();
    Status before = raw.status();
    int switches = sw.seen.size();
    assertThrows(InvalidConfChangeException.class, () -> apply.accept(raw));
    assertEquals(before, raw.status(), "status and configuration unchanged");
    assertEquals(switches, sw.seen.size(), "no configuration switch reported");
  }

  /** The node still takes a valid change after refusing invalid ones. */
  private static void assertStillTakesAValidChange(StepCluster c) {
    RawNode raw = c.node(1).raw();
    boolean joint = raw.status().config().getVotersOutgoingCount() > 0;
    ConfState cs = joint ? raw.applyConfChange(leaveJoint()) : raw.applyConfChange(v1(LEARNER, 9));
    assertEquals(cs, raw.status().config());
    assertEquals(0, cs.getVotersOutgoingCount());
    assertTrue(joint || cs.getLearnersList().contains(9L), cs.toString());
  }

  /** Leaving a configuration that is not joint is invalid. */
  @Test
  void applyingALeaveOfANonJointConfigurationThrowsAndChangesNothing() {
    Switches sw = new Switches();
    StepCluster c = StepCluster.create(3, b -> b.listener(sw));
    c.campaign(1);
    assertRefusedWithoutTrace(c, sw, raw -> raw.applyConfChange(leaveJoint()));
    assertStillTakesAValidChange(c);
  }

  /** Removing the last voter is invalid. */
  @Test
  void applyingTheRemovalOfTheLastVoterThrowsAndChangesNothing() {
    Switches sw = new Switches();
    StepCluster c = StepCluster.create(1, b -> b.listener(sw));
    c.campaign(1);
    assertRefusedWithoutTrace(c, sw, raw -> raw.applyConfChange(v1(REMOVE, 1)));
    assertStillTakesAValidChange(c);
  }

  /** A joint change whose incoming half has no voter is invalid. */
  @Test
  void applyingAJointChangeThatRemovesEveryIncomingVoterThrowsAndChangesNothing() {
    Switches sw = new Switches();
    StepCluster c = StepCluster.create(2, b -> b.listener(sw));
    c.campaign(1);
    assertRefusedWithoutTrace(
        c, sw, raw -> raw.applyConfChange(explicit(single(REMOVE, 1), single(REMOVE, 2))));
    assertStillTakesAValidChange(c);
  }

  /** Entering a joint configuration from a joint configuration is invalid. */
  @Test
  void applyingAJointChangeWhileJointThrowsAndChangesNothing() {
    Switches sw = new Switches();
    StepCluster c = StepCluster.create(3, b -> b.listener(sw));
    c.campaign(1);
    c.node(1).raw().applyConfChange(explicit(single(ADD, 4)));
    assertRefusedWithoutTrace(c, sw, raw -> raw.applyConfChange(explicit(single(LEARNER, 5))));
    assertRefusedWithoutTrace(c, sw, raw -> raw.applyConfChange(v1(LEARNER, 6)));
    assertStillTakesAValidChange(c);
  }

  /** Within one change, a later single change for the same node overrides an earlier one. */
  @Test
  void aLaterSingleChangeForTheSameNodeOverridesAnEarlierOne() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    RawNode raw = c.node(1).raw();
    ConfState cs = raw.applyConfChange(explicit(single(LEARNER, 3), single(ADD, 3)));
    assertEquals(List.of(1L, 2L, 3L), cs.getVotersList(), "the later change wins");
    assertEquals(List.of(), cs.getLearnersNextList());
    assertEquals(List.of(), cs.getLearnersList());
  }

  /**
   * A v1 change is the v2 change with one single change, the automatic transition and its context.
   */
  @Test
  void aV1ChangeConvertsToTheEquivalentV2Change() {
    ConfChange cc =
        ConfChange.newBuilder()
            .setType(LEARNER)
            .setNodeId(7)
            .setId(99)
            .setContext(ByteString.copyFromUtf8("ctx"))
            .build();
    ConfChangeV2 v2 = ConfChanges.toV2(cc);
    assertEquals(ConfChangeTransition.ConfChangeTransitionAuto, v2.getTransition());
    assertEquals(List.of(single(LEARNER, 7)), v2.getChangesList());
    assertEquals("ctx", v2.getContext().toStringUtf8());
    assertFalse(ConfChanges.entersJoint(v2));
    assertFalse(ConfChanges.leavesJoint(v2));
  }

  /** Applying a v1 change and its v2 form give the same configuration. */
  @Test
  void applyingAV1ChangeEqualsApplyingItsV2Form() {
    for (ConfChange cc : List.of(v1(ADD, 4), v1(LEARNER, 4), v1(REMOVE, 3), v1(LEARNER, 2))) {
      StepCluster a = StepCluster.create(3);
      StepCluster b = StepCluster.create(3);
      ConfState viaV1 = a.node(1).raw().applyConfChange(cc);
      ConfState viaV2 = b.node(1).raw().applyConfChange(ConfChanges.toV2(cc));
      assertEquals(ConfChanges.describe(viaV2), ConfChanges.describe(viaV1), cc.toString());
    }
  }

  /**
   * A proposed v1 change travels as an EntryConfChange holding the v1 bytes, and applies
   * everywhere.
   */
  @Test
  void aProposedV1ChangeIsAnEntryConfChangeAndIsAppliedOnEveryNode() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    ConfChange cc =
        ConfChange.newBuilder()
            .setType(LEARNER)
            .setNodeId(4)
            .setContext(ByteString.copyFromUtf8("n4"))
            .build();
    Ccs.propose(c, 1, cc);
    Entry e = Ccs.lastEntry(c.node(2));
    assertEquals(EntryType.EntryConfChange, e.getType());
    assertEquals(cc.toByteString(), e.getData());
    for (var n : c.nodes().values()) {
      assertEquals(List.of(4L), n.confState().getLearnersList(), "node " + n.id());
    }
    assertTrue(c.node(1).progress(4).learner());
  }
}

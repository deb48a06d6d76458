package io.stepraft.raft.confchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConfChanges} conversions and predicates, and {@link ConfChanger#restore}. */
class ConfChangesTest {
  private static ConfChangeV2 v2(ConfChangeTransition transition, String shorthand) {
    return ConfChangeV2.newBuilder()
        .setTransition(transition)
        .addAllChanges(ConfScript.changes(shorthand))
        .build();
  }

  @Test
  void toV2WrapsOneChangeWithTheAutomaticTransition() {
    ConfChange cc =
        ConfChange.newBuilder()
            .setType(ConfChangeType.ConfChangeAddLearnerNode)
            .setNodeId(7)
            .setContext(ByteString.copyFromUtf8("ctx"))
            .build();
    ConfChangeV2 v2 = ConfChanges.toV2(cc);
    assertEquals(
        List.of(
            ConfChangeSingle.newBuilder()
                .setType(ConfChangeType.ConfChangeAddLearnerNode)
                .setNodeId(7)
                .build()),
        v2.getChangesList());
    assertEquals(ConfChangeTransition.ConfChangeTransitionAuto, v2.getTransition());
    assertEquals("ctx", v2.getContext().toStringUtf8());
    assertFalse(ConfChanges.entersJoint(v2), "a single change is simple");
    assertFalse(ConfChanges.leavesJoint(v2));
  }

  @Test
  void toV2WithoutContextLeavesItUnset() {
    ConfChangeV2 v2 =
        ConfChanges.toV2(
            ConfChange.newBuilder()
                .setType(ConfChangeType.ConfChangeRemoveNode)
                .setNodeId(2)
                .build());
    assertFalse(v2.hasContext());
    assertEquals(ConfChangeType.ConfChangeRemoveNode, v2.getChanges(0).getType());
  }

  @Test
  void aChangeEntersAJointConfigWhenItAsksToOrChangesSeveralNodes() {
    assertFalse(ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionAuto, "v1")));
    assertTrue(ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionAuto, "v1 v2")));
    assertTrue(
        ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, "v1")));
    assertTrue(
        ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v1")));
    assertTrue(
        ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "")));
    assertFalse(ConfChanges.entersJoint(v2(ConfChangeTransition.ConfChangeTransitionAuto, "")));
  }

  @Test
  void onlyTheEmptyAutomaticChangeLeavesAJointConfigWhateverItsContext() {
    assertTrue(ConfChanges.leavesJoint(ConfChangeV2.getDefaultInstance()));
    assertTrue(
        ConfChanges.leavesJoint(
            ConfChangeV2.newBuilder().setContext(ByteString.copyFromUtf8("x")).build()));
    assertFalse(
        ConfChanges.leavesJoint(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "")));
    assertFalse(
        ConfChanges.leavesJoint(v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, "")));
    assertFalse(ConfChanges.leavesJoint(v2(ConfChangeTransition.ConfChangeTransitionAuto, "r1")));
  }

  @Test
  void autoLeaveUnlessTheTransitionIsExplicit() {
    assertTrue(ConfChanges.autoLeave(v2(ConfChangeTransition.ConfChangeTransitionAuto, "v1 v2")));
    assertTrue(
        ConfChanges.autoLeave(v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, "v1")));
    assertFalse(
        ConfChanges.autoLeave(v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v1")));
  }

  @Test
  void decodeReadsBothEntryKindsAsV2() throws InvalidProtocolBufferException {
    ConfChange v1 =
        ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(3).build();
    Entry e1 =
        Entry.newBuilder().setType(EntryType.EntryConfChange).setData(v1.toByteString()).build();
    assertEquals(ConfChanges.toV2(v1), ConfChanges.decode(e1));
    ConfChangeV2 v2 = v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, "v1 l2");
    Entry e2 =
        Entry.newBuilder().setType(EntryType.EntryConfChangeV2).setData(v2.toByteString()).build();
    assertEquals(v2, ConfChanges.decode(e2));
  }

  @Test
  void decodeRefusesNormalEntriesAndGarbage() {
    Entry normal = Entry.newBuilder().setIndex(4).setData(ByteString.copyFromUtf8("x")).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConfChanges.decode(normal));
    assertTrue(e.getMessage().contains("entry 4"), e.getMessage());
    Entry garbage =
        Entry.newBuilder()
            .setType(EntryType.EntryConfChangeV2)
            .setData(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
            .build();
    assertThrows(InvalidProtocolBufferException.class, () -> ConfChanges.decode(garbage));
  }

  @Test
  void equivalenceIgnoresOrderButNotMembershipOrAutoLeave() {
    ConfState a = ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).addLearners(4).build();
    ConfState b = ConfState.newBuilder().addAllVoters(List.of(3L, 1L, 2L)).addLearners(4).build();
    ConfChanges.checkEquivalent(a, b);
    ConfState c = b.toBuilder().clearLearners().addLearners(5).build();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ConfChanges.checkEquivalent(a, c));
    assertTrue(
        e.getMessage().contains("learners=[4]") && e.getMessage().contains("learners=[5]"),
        e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> ConfChanges.checkEquivalent(a, a.toBuilder().setAutoLeave(true).build()));
    assertThrows(
        IllegalStateException.class,
        () -> ConfChanges.checkEquivalent(a, a.toBuilder().addVotersOutgoing(1).build()));
  }

  // ---------------------------------------------------------------- restore

  private static ProgressTracker empty() {
    return new ProgressTracker(ConfScript.MAX_INFLIGHT, ConfScript.MAX_INFLIGHT_BYTES);
  }

  private static ConfState restoreRoundTrip(ConfState cs, long lastIndex) {
    ProgressTracker t = ConfScript.install(ConfChanger.restore(empty(), lastIndex, cs));
    ConfState back = t.confState();
    ConfChanges.checkEquivalent(cs, back);
    return back;
  }

  @Test
  void restoreRebuildsASimpleConfig() {
    ConfState cs =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 2L, 3L))
            .addAllLearners(List.of(4L, 5L))
            .build();
    restoreRoundTrip(cs, 10);
    ProgressTracker t = ConfScript.install(ConfChanger.restore(empty(), 10, cs));
    assertEquals("voters=(1 2 3) learners=(4 5)", t.configString());
    t.visit(
        (id, pr) -> {
          assertEquals(0, pr.match());
          assertEquals(10, pr.next(), "every member probes from the last index");
          assertEquals(id >= 4, pr.isLearner());
        });
  }

  @Test
  void restoreRebuildsAJointConfigWithStagedLearnersAndAutoLeave() {
    ConfState cs =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 2L, 3L))
            .addAllVotersOutgoing(List.of(1L, 2L, 4L, 6L))
            .addLearners(5)
            .addLearnersNext(4)
            .setAutoLeave(true)
            .build();
    restoreRoundTrip(cs, 3);
    ProgressTracker t = ConfScript.install(ConfChanger.restore(empty(), 3, cs));
    assertEquals(
        "voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4) autoleave", t.configString());
    assertFalse(t.progress(4).isLearner(), "a staged learner still votes in the outgoing half");
  }

  @Test
  void restoreOfTheEmptyConfigIsEmpty() {
    ConfChanger.Result r = ConfChanger.restore(empty(), 0, ConfState.getDefaultInstance());
    assertTrue(r.progress().isEmpty());
    assertFalse(r.voters().isJoint());
    assertTrue(r.voters().incoming().isEmpty());
  }

  @Test
  void restoreOrderDoesNotMatter() {
    ConfState a =
        ConfState.newBuilder()
            .addAllVoters(List.of(3L, 1L))
            .addAllVotersOutgoing(List.of(2L, 1L))
            .addAllLearners(List.of(9L, 7L))
            .build();
    ConfState sorted =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 3L))
            .addAllVotersOutgoing(List.of(1L, 2L))
            .addAllLearners(List.of(7L, 9L))
            .setAutoLeave(false)
            .build();
    assertEquals(sorted, restoreRoundTrip(a, 1));
  }

  @Test
  void restoreNeedsAnEmptyTracker() {
    ProgressTracker t =
        ConfScript.install(
            ConfChanger.restore(empty(), 1, ConfState.newBuilder().addVoters(1).build()));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ConfChanger.restore(t, 1, ConfState.newBuilder().addVoters(2).build()));
    assertTrue(e.getMessage().contains("voters=(1)"), e.getMessage());
  }

  @Test
  void restoreRefusesInvalidConfStates() {
    ConfState learnerAndVoter = ConfState.newBuilder().addVoters(1).addLearners(1).build();
    assertThrows(
        InvalidChangeException.class, () -> ConfChanger.restore(empty(), 1, learnerAndVoter));
    ConfState learnersOnly = ConfState.newBuilder().addLearners(2).build();
    assertThrows(
        InvalidChangeException.class,
        () -> ConfChanger.restore(empty(), 1, learnersOnly),
        "a configuration needs a voter once it has members");
    ConfState noIncoming = ConfState.newBuilder().addVotersOutgoing(1).build();
    assertThrows(InvalidChangeException.class, () -> ConfChanger.restore(empty(), 1, noIncoming));
  }

  @Test
  void restoreOfAStagedLearnerOutsideAJointConfigIsNotEquivalent() {
    ConfState cs = ConfState.newBuilder().addVoters(1).addLearnersNext(2).build();
    ProgressTracker t = ConfScript.install(ConfChanger.restore(empty(), 1, cs));
    assertEquals("voters=(1) learners=(2)", t.configString());
    assertThrows(
        IllegalStateException.class,
        () -> ConfChanges.checkEquivalent(cs, t.confState()),
        "Raft's checkEquivalent catches what restore cannot represent");
  }
}

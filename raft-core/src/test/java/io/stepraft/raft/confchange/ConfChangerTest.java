package io.stepraft.raft.confchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Table tests of {@link ConfChanger} following the semantics documented for etcd's confchange
 * package: simple changes alter at most one voter; joint consensus makes the current voters the
 * outgoing half; a voter demoted while joint waits in learnersNext until the joint state is left;
 * removing every voter, nesting joint states and leaving a non-joint one are errors.
 */
class ConfChangerTest {
  private static final String P1 = "\n1: StateProbe match=0 next=1";

  /** A script at last index 1 with voters (1 2 3), all probing from 1. */
  private static ConfScript threeVoters() {
    ConfScript s = new ConfScript(1);
    s.simple("v1");
    s.simple("v2");
    s.simple("v3");
    return s;
  }

  @Test
  void simpleAddsVotersAndLearnersOneAtATimeProbingFromTheLastIndex() {
    ConfScript s = new ConfScript(0);
    assertEquals("voters=(1)" + P1, s.simple("v1"), "next is at least 1 even at last index 0");
    s.lastIndex = 5;
    assertEquals("voters=(1 2)" + P1 + "\n2: StateProbe match=0 next=5", s.simple("v2"));
    s.lastIndex = 7;
    assertEquals(
        "voters=(1 2) learners=(3)"
            + P1
            + "\n2: StateProbe match=0 next=5\n3: StateProbe match=0 next=7 learner",
        s.simple("l3"));
  }

  @Test
  void addingAMemberAgainIsANoOp() {
    ConfScript s = threeVoters();
    s.simple("l4");
    String before = s.tracker().toString();
    s.lastIndex = 100;
    assertEquals(before, s.simple("v1"));
    assertEquals(before, s.simple("l4"));
    assertEquals(before, s.simple("v2 v3 l4"));
  }

  @Test
  void simpleChangeMayAlterOneVoterAndAnyNumberOfLearners() {
    ConfScript s = threeVoters();
    assertEquals("voters=(1 2 3 4) learners=(5 6)", firstLine(s.simple("v4 l5 l6")));
    assertEquals("voters=(1 2 3) learners=(5 6)", firstLine(s.simple("r4 r7")));
  }

  @Test
  void simpleChangeOfTwoVotersIsRefused() {
    ConfScript s = threeVoters();
    s.simpleFails("v4 v5", "more than one voter changed without entering joint config");
    s.simpleFails("r1 v4", "more than one voter changed");
    s.simpleFails("r1 r2", "more than one voter changed");
    s.simpleFails("l1 l2", "more than one voter changed");
  }

  @Test
  void changesThatCancelOutCountAsNoVoterChange() {
    ConfScript s = threeVoters();
    assertEquals("voters=(1 2 3)", firstLine(s.simple("v4 r4 r1 v1")));
  }

  @Test
  void removingTheLastVoterIsRefusedInSimpleAndJointChanges() {
    ConfScript s = new ConfScript(1);
    s.simple("v1 l2");
    s.simpleFails("r1", "removed all voters");
    s.simpleFails("l1", "removed all voters");
    ConfScript t = threeVoters();
    t.enterJointFails(false, "r1 r2 r3", "removed all voters");
    t.enterJointFails(true, "l1 l2 l3", "removed all voters");
  }

  @Test
  void aVoterIsDemotedToLearnerKeepingItsProgress() {
    ConfScript s = threeVoters();
    s.tracker().progress(3).setNext(5);
    s.tracker().progress(3).setMatch(4);
    assertEquals("voters=(1 2) learners=(3)", firstLine(s.simple("l3")));
    Progress p = s.tracker().progress(3);
    assertTrue(p.isLearner());
    assertEquals(4, p.match());
    assertEquals(5, p.next());
  }

  @Test
  void aLearnerIsPromotedToVoterKeepingItsProgress() {
    ConfScript s = new ConfScript(1);
    s.simple("v1 l2");
    s.tracker().progress(2).setNext(10);
    s.tracker().progress(2).setMatch(9);
    assertEquals("voters=(1 2)", firstLine(s.simple("v2")));
    assertFalse(s.tracker().progress(2).isLearner());
    assertEquals(9, s.tracker().progress(2).match());
  }

  @Test
  void removingANonMemberIsANoOpAndRemovingAMemberDropsItsProgress() {
    ConfScript s = threeVoters();
    s.simple("l4");
    String before = s.tracker().toString();
    assertEquals(before, s.simple("r9"));
    s.simple("r4");
    assertEquals(null, s.tracker().progress(4));
    s.simple("r3");
    assertEquals("voters=(1 2)" + P1 + "\n2: StateProbe match=0 next=1", s.tracker().toString());
  }

  @Test
  void updateNodeChangesNothingEvenForNonMembers() {
    ConfScript s = threeVoters();
    String before = s.tracker().toString();
    assertEquals(before, s.simple("u1 u2 u3 u9"));
    assertEquals("voters=(1 2 3)&&(1 2 3)", firstLine(s.enterJoint(false, "u1 u9")));
    assertEquals(null, s.tracker().progress(9));
  }

  @Test
  void nodeIdZeroIsIgnored() {
    ConfScript s = new ConfScript(0);
    assertEquals("voters=(1)" + P1, s.simple("v1 v0 l0 r0 u0"));
    assertEquals("voters=(1)" + P1, s.simple("r0 v0"));
    assertEquals("voters=(1)&&(1)", firstLine(s.enterJoint(false, "v0 l0")));
  }

  @Test
  void simpleChangeInAJointConfigIsRefused() {
    ConfScript s = threeVoters();
    s.enterJoint(false, "v4");
    s.simpleFails("v5", "can't apply simple config change in joint config");
    s.simpleFails("", "can't apply simple config change in joint config");
  }

  @Test
  void enteringAJointConfigTwiceIsRefused() {
    ConfScript s = threeVoters();
    s.enterJoint(true, "r1");
    s.enterJointFails(true, "v5", "config is already joint");
    s.enterJointFails(false, "", "config is already joint");
  }

  @Test
  void leavingANonJointConfigIsRefused() {
    threeVoters().leaveJointFails("can't leave a non-joint config");
    new ConfScript(0).leaveJointFails("can't leave a non-joint config");
  }

  @Test
  void aConfigWithoutVotersCannotBecomeJoint() {
    ConfScript s = new ConfScript(0);
    s.enterJointFails(false, "v1", "can't make a zero-voter config joint");
    assertEquals("voters=()", s.config());
  }

  @Test
  void enterJointCopiesTheVotersToTheOutgoingHalfAndChangesTheIncomingOne() {
    ConfScript s = threeVoters();
    s.lastIndex = 10;
    String out = s.enterJoint(false, "r3 v4 l5");
    assertEquals("voters=(1 2 4)&&(1 2 3) learners=(5)", firstLine(out));
    assertTrue(
        out.contains("\n3: StateProbe match=0 next=1\n"),
        "an outgoing voter keeps its progress: " + out);
    assertTrue(out.contains("\n4: StateProbe match=0 next=10\n"), out);
    assertTrue(out.endsWith("\n5: StateProbe match=0 next=10 learner"), out);
    assertEquals("voters=(1 2 4) learners=(5)", firstLine(s.leaveJoint()));
    assertEquals(
        null,
        s.tracker().progress(3),
        "the removed voter's progress goes when the joint state is left");
  }

  @Test
  void aVoterDemotedWhileJointWaitsInLearnersNextUntilTheJointStateIsLeft() {
    ConfScript s = threeVoters();
    s.tracker().progress(3).setNext(8);
    s.tracker().progress(3).setMatch(7);
    String joint = s.enterJoint(false, "l3");
    assertEquals("voters=(1 2)&&(1 2 3) learners_next=(3)", firstLine(joint));
    assertTrue(joint.endsWith("\n3: StateProbe match=7 next=8"), "not a learner yet: " + joint);
    String left = s.leaveJoint();
    assertEquals("voters=(1 2) learners=(3)", firstLine(left));
    assertTrue(
        left.endsWith("\n3: StateProbe match=7 next=8 learner"),
        "progress kept, now a learner: " + left);
  }

  @Test
  void demotingThenPromotingInOneJointChangeLeavesAVoter() {
    ConfScript s = threeVoters();
    assertEquals("voters=(1 2 3)&&(1 2 3)", firstLine(s.enterJoint(false, "l3 v3")));
    assertTrue(s.tracker().learnersNext().isEmpty());
    assertEquals("voters=(1 2 3)", firstLine(s.leaveJoint()));
  }

  @Test
  void removingAndReAddingAsLearnerWhileJointStagesTheLearner() {
    ConfScript s = threeVoters();
    assertEquals(
        "voters=(1 2)&&(1 2 3) learners_next=(3)", firstLine(s.enterJoint(false, "r3 l3")));
  }

  @Test
  void removingAStagedLearnerWhileJointDropsItOnLeave() {
    ConfScript s = threeVoters();
    s.enterJoint(false, "l3 r3");
    assertEquals("voters=(1 2)&&(1 2 3)", s.config());
    assertTrue(s.tracker().progress(3) != null, "still an outgoing voter");
    s.leaveJoint();
    assertEquals("voters=(1 2)", s.config());
    assertEquals(null, s.tracker().progress(3));
  }

  @Test
  void aLearnerIsPromotedThroughAJointConfig() {
    ConfScript s = new ConfScript(1);
    s.simple("v1 l2 l3");
    assertEquals("voters=(1 2 3)&&(1) autoleave", firstLine(s.enterJoint(true, "v2 v3")));
    assertFalse(s.tracker().progress(2).isLearner());
    assertEquals("voters=(1 2 3)", firstLine(s.leaveJoint()));
  }

  @Test
  void autoLeaveIsKeptWhileJointAndClearedOnLeave() {
    ConfScript s = threeVoters();
    s.enterJoint(true, "v4");
    assertTrue(s.tracker().autoLeave());
    s.leaveJoint();
    assertFalse(s.tracker().autoLeave());
    s.enterJoint(false, "r4");
    assertFalse(s.tracker().autoLeave());
  }

  @Test
  void enteringAJointConfigWithoutChangesIsAllowed() {
    ConfScript s = threeVoters();
    assertEquals("voters=(1 2 3)&&(1 2 3)", firstLine(s.enterJoint(false, "")));
    assertEquals("voters=(1 2 3)", firstLine(s.leaveJoint()));
  }

  @Test
  void learnersOfTheOutgoingConfigStayLearnersAcrossTheJointState() {
    ConfScript s = new ConfScript(1);
    s.simple("v1 l4");
    assertEquals("voters=(1 2)&&(1) learners=(4)", firstLine(s.enterJoint(false, "v2")));
    assertEquals("voters=(1 2) learners=(4)", firstLine(s.leaveJoint()));
  }

  @Test
  void theResultHoldsCopiesOfTheTrackersProgress() {
    ConfScript s = threeVoters();
    ProgressTracker t = s.tracker();
    ConfChanger.Result r = new ConfChanger(t, 1).simple(ConfScript.changes("v4"));
    assertNotSame(t.progress(1), r.progress().get(1L));
    r.progress().get(1L).setNext(4);
    r.progress().get(1L).setMatch(3);
    assertEquals(0, t.progress(1).match(), "changing the result leaves the tracker alone");
  }

  @Test
  void newMembersStartActiveSoCheckQuorumDoesNotFireBeforeTheyAreHeardFrom() {
    ConfScript s = threeVoters();
    s.simple("v4");
    assertTrue(s.tracker().progress(4).recentActive());
    s.simple("l5");
    assertTrue(s.tracker().progress(5).recentActive());
  }

  @Test
  void membersOfAJointConfigAreCountedInBothHalves() {
    ConfScript s = threeVoters();
    s.enterJoint(false, "r1 r2 v4 v5");
    assertEquals("voters=(3 4 5)&&(1 2 3)", s.config());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), s.tracker().voterNodes());
  }

  private static String firstLine(String description) {
    int nl = description.indexOf('\n');
    return nl < 0 ? description : description.substring(0, nl);
  }
}

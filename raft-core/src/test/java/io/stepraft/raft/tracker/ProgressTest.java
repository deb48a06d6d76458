package io.stepraft.raft.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressTest {

  private static Progress progress(long next, long match) {
    return new Progress(next, match, 4, 0, false);
  }

  private static Progress replicating(long match) {
    Progress p = progress(match + 1, match);
    p.becomeReplicate();
    return p;
  }

  @Test
  void newProgressStartsInProbe() {
    Progress p = new Progress(6, 2, 8, 1024, true);
    assertEquals(Progress.State.PROBE, p.state());
    assertEquals(6, p.next());
    assertEquals(2, p.match());
    assertTrue(p.isLearner());
    assertEquals(8, p.inflights().capacity());
    assertEquals(1024, p.inflights().maxBytes());
    assertFalse(p.isPaused());
  }

  @Test
  void constructorChecksMatchBelowNext() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> progress(5, 5));
    assertTrue(e.getMessage().contains("match 5, next 5"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> progress(1, -1));
  }

  @Test
  void settersKeepMatchBelowNext() {
    Progress p = progress(5, 2);
    p.setNext(10);
    p.setMatch(9);
    assertEquals(9, p.match());
    assertThrows(IllegalStateException.class, () -> p.setMatch(10));
    assertThrows(IllegalStateException.class, () -> progress(5, 2).setNext(2));
  }

  @Test
  void becomeProbeFromReplicateRestartsAfterMatch() {
    Progress p = replicating(5);
    p.sentEntries(3, 30);
    p.becomeProbe();
    assertEquals(Progress.State.PROBE, p.state());
    assertEquals(6, p.next());
    assertEquals(0, p.inflights().count());
    assertFalse(p.msgAppFlowPaused());
  }

  @Test
  void becomeProbeFromSnapshotRestartsAfterThePendingSnapshot() {
    Progress p = progress(2, 1);
    p.becomeSnapshot(10);
    p.becomeProbe();
    assertEquals(Progress.State.PROBE, p.state());
    assertEquals(11, p.next());
    assertEquals(0, p.pendingSnapshot());
  }

  @Test
  void becomeProbeFromSnapshotNeverGoesBelowMatch() {
    Progress p = progress(2, 1);
    p.becomeSnapshot(10);
    p.maybeUpdate(15);
    p.becomeProbe();
    assertEquals(16, p.next());
  }

  @Test
  void becomeProbeCapsSentCommitBelowNext() {
    Progress p = replicating(5);
    p.sentEntries(4, 0);
    p.sentCommit(9);
    p.becomeProbe();
    assertEquals(6, p.next());
    assertEquals(5, p.sentCommit());
  }

  @Test
  void becomeReplicateStreamsFromAfterMatch() {
    Progress p = progress(10, 3);
    p.setMsgAppFlowPaused(true);
    p.becomeReplicate();
    assertEquals(Progress.State.REPLICATE, p.state());
    assertEquals(4, p.next());
    assertFalse(p.msgAppFlowPaused());
  }

  @Test
  void becomeSnapshotRecordsTheSnapshotIndex() {
    Progress p = replicating(3);
    p.sentEntries(2, 20);
    p.becomeSnapshot(20);
    assertEquals(Progress.State.SNAPSHOT, p.state());
    assertEquals(20, p.pendingSnapshot());
    assertEquals(21, p.next());
    assertEquals(20, p.sentCommit());
    assertEquals(0, p.inflights().count());
  }

  @Test
  void becomeSnapshotBehindMatchFails() {
    Progress p = progress(10, 9);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.becomeSnapshot(5));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("9"), e.getMessage());
  }

  @Test
  void sentEntriesInReplicateAdvancesNextAndFillsTheWindow() {
    Progress p = replicating(5);
    p.sentEntries(3, 300);
    assertEquals(9, p.next());
    assertEquals(1, p.inflights().count());
    assertEquals(300, p.inflights().bytes());
    assertFalse(p.isPaused());
  }

  @Test
  void sentEntriesInReplicatePausesWhenTheWindowIsFull() {
    Progress p = replicating(0);
    for (int i = 0; i < 3; i++) {
      p.sentEntries(1, 1);
    }
    assertFalse(p.isPaused());
    p.sentEntries(1, 1);
    assertTrue(p.isPaused());
    p.maybeUpdate(4);
    p.inflights().freeLE(4);
    p.sentEntries(0, 0);
    assertFalse(p.isPaused());
  }

  @Test
  void sentEntriesWithoutEntriesInReplicateAddsNoInflight() {
    Progress p = replicating(5);
    p.sentEntries(0, 0);
    assertEquals(6, p.next());
    assertEquals(0, p.inflights().count());
  }

  @Test
  void sentEntriesInProbePausesOnlyWithEntries() {
    Progress p = progress(6, 5);
    p.sentEntries(0, 0);
    assertFalse(p.isPaused());
    p.sentEntries(2, 20);
    assertTrue(p.isPaused());
    assertEquals(6, p.next());
  }

  @Test
  void sentEntriesInSnapshotFails() {
    Progress p = progress(2, 1);
    p.becomeSnapshot(10);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.sentEntries(1, 1));
    assertEquals("sending append in unhandled state SNAPSHOT", e.getMessage());
  }

  @Test
  void sentEntriesRejectsNegativeArguments() {
    assertThrows(IllegalArgumentException.class, () -> replicating(1).sentEntries(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> replicating(1).sentEntries(1, -1));
  }

  @Test
  void canBumpCommitOnlyForANewerCommitTheFollowerMayHold() {
    Progress p = replicating(5);
    p.sentEntries(5, 0); // next = 11
    p.sentCommit(7);
    assertFalse(p.canBumpCommit(7));
    assertTrue(p.canBumpCommit(8));
    p.sentCommit(10);
    assertFalse(p.canBumpCommit(12), "sentCommit already at next - 1");
  }

  @Test
  void sentCommitIsRecorded() {
    Progress p = progress(10, 0);
    p.sentCommit(4);
    assertEquals(4, p.sentCommit());
  }

  @Test
  void maybeUpdateRaisesMatchAndNextAndResumesTheFlow() {
    Progress p = progress(6, 5);
    p.sentEntries(1, 1);
    assertTrue(p.maybeUpdate(8));
    assertEquals(8, p.match());
    assertEquals(9, p.next());
    assertFalse(p.msgAppFlowPaused());
  }

  @Test
  void maybeUpdateIgnoresStaleAcknowledgements() {
    Progress p = replicating(5);
    p.sentEntries(5, 0); // next = 11
    p.setMsgAppFlowPaused(true);
    assertFalse(p.maybeUpdate(4));
    assertFalse(p.maybeUpdate(5));
    assertEquals(5, p.match());
    assertEquals(11, p.next());
    assertTrue(p.msgAppFlowPaused());
  }

  @Test
  void maybeUpdateKeepsNextWhenAlreadyAhead() {
    Progress p = replicating(5);
    p.sentEntries(10, 0); // next = 16
    assertTrue(p.maybeUpdate(7));
    assertEquals(16, p.next());
  }

  @Test
  void maybeDecrToInReplicateIgnoresRejectionsAtOrBelowMatch() {
    Progress p = replicating(5);
    p.sentEntries(5, 0);
    assertFalse(p.maybeDecrTo(5, 5));
    assertFalse(p.maybeDecrTo(4, 4));
    assertEquals(11, p.next());
  }

  @Test
  void maybeDecrToInReplicateFallsBackToMatchPlusOne() {
    Progress p = replicating(5);
    p.sentEntries(5, 0);
    p.sentCommit(9);
    assertTrue(p.maybeDecrTo(9, 7));
    assertEquals(6, p.next());
    assertEquals(5, p.sentCommit());
  }

  @Test
  void maybeDecrToInProbeIgnoresRejectionsOfOtherThanTheLastProbe() {
    Progress p = progress(10, 0);
    assertFalse(p.maybeDecrTo(5, 5));
    assertFalse(p.maybeDecrTo(10, 5));
    assertEquals(10, p.next());
  }

  @Test
  void maybeDecrToInProbeUsesTheHint() {
    Progress p = progress(10, 0);
    p.sentEntries(1, 1);
    assertTrue(p.maybeDecrTo(9, 3));
    assertEquals(4, p.next());
    assertFalse(p.isPaused());
  }

  @Test
  void maybeDecrToInProbeNeverGoesAboveTheRejectedIndex() {
    Progress p = progress(10, 0);
    assertTrue(p.maybeDecrTo(9, 100));
    assertEquals(9, p.next());
  }

  @Test
  void maybeDecrToInProbeNeverGoesBelowMatchPlusOne() {
    Progress p = progress(10, 5);
    p.sentCommit(8);
    assertTrue(p.maybeDecrTo(9, 1));
    assertEquals(6, p.next());
    assertEquals(5, p.sentCommit());
  }

  @Test
  void maybeDecrToInSnapshotFollowsTheProbeRule() {
    Progress p = progress(2, 1);
    p.becomeSnapshot(10);
    assertFalse(p.maybeDecrTo(9, 3));
    assertTrue(p.maybeDecrTo(10, 3));
    assertEquals(4, p.next());
  }

  @Test
  void isPausedFollowsTheFlowFlagInProbeAndReplicate() {
    Progress probe = progress(2, 1);
    probe.setMsgAppFlowPaused(true);
    assertTrue(probe.isPaused());
    probe.setMsgAppFlowPaused(false);
    assertFalse(probe.isPaused());
    Progress replicate = replicating(1);
    replicate.setMsgAppFlowPaused(true);
    assertTrue(replicate.isPaused());
  }

  @Test
  void isPausedIsAlwaysTrueInSnapshot() {
    Progress p = progress(2, 1);
    p.becomeSnapshot(10);
    p.setMsgAppFlowPaused(false);
    assertTrue(p.isPaused());
  }

  @Test
  void recentActiveAndLearnerFlagsAreSettable() {
    Progress p = progress(2, 1);
    p.setRecentActive(true);
    p.setLearner(true);
    assertTrue(p.recentActive());
    assertTrue(p.isLearner());
  }

  @Test
  void copyIsDeep() {
    Progress p = replicating(5);
    p.sentEntries(1, 10);
    Progress copy = p.copy();
    p.sentEntries(1, 10);
    p.maybeUpdate(7);
    assertNotSame(p.inflights(), copy.inflights());
    assertEquals(1, copy.inflights().count());
    assertEquals(5, copy.match());
    assertEquals(7, copy.next());
    assertEquals(Progress.State.REPLICATE, copy.state());
  }

  @Test
  void toStringDescribesStateAndFlags() {
    Progress p = new Progress(6, 5, 2, 0, false);
    p.becomeReplicate();
    p.setRecentActive(true);
    p.sentEntries(1, 1);
    p.sentEntries(1, 1);
    assertEquals("StateReplicate match=5 next=8 paused inflight=2[full]", p.toString());
    Progress s = new Progress(2, 1, 2, 0, true);
    s.becomeSnapshot(9);
    assertEquals(
        "StateSnapshot match=1 next=10 learner paused pendingSnap=9 inactive", s.toString());
    assertEquals("StateProbe match=0 next=1 inactive", progress(1, 0).toString());
  }
}

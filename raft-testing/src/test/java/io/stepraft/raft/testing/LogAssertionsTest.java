package io.stepraft.raft.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks of the checker: {@link LogAssertions} accepts logs that agree and catches each
 * disagreement it names, on nodes started from hand-made storages.
 */
class LogAssertionsTest {
  /**
   * Node {@code id} of voters {1, 2} holding {@code entries} after a snapshot at (1, 1), with this
   * commit index; everything committed is applied.
   */
  private static StepNode node(long id, List<Entry> entries, long commit) {
    MemoryStorage s =
        Storages.withEntries(
            Snapshots.snapshot(1, 1, ConfStates.voters(1, 2)),
            entries,
            Storages.hardState(3, 0, commit));
    StepNode n = StepNode.of(Config.builder().id(id).storage(s).build());
    n.drain();
    return n;
  }

  private static List<Entry> log(Entry... entries) {
    return new ArrayList<>(List.of(entries));
  }

  @Test
  void logsThatAgreeWhereBothHoldEntriesPass() {
    StepNode a = node(1, Entries.withTerms(2, 1, 2, 2), 3);
    StepNode b = node(2, Entries.withTerms(2, 1, 2), 2);
    LogAssertions.assertLogsAgree(List.of(a, b));
  }

  @Test
  void uncommittedTailsThatDifferAfterTheLastSharedEntryPass() {
    StepNode a = node(1, Entries.withTerms(2, 1, 2), 2);
    StepNode b = node(2, Entries.withTerms(2, 1, 3), 2);
    LogAssertions.assertLogsAgree(List.of(a, b));
  }

  @Test
  void entriesThatDifferBelowASharedIndexAndTermBreakLogMatching() {
    StepNode a = node(1, Entries.withTerms(2, 1, 2, 2), 1);
    StepNode b =
        node(2, log(Entries.labeled(2, 1), Entries.entry(3, 2, "other"), Entries.labeled(4, 2)), 1);
    AssertionError e =
        assertThrows(AssertionError.class, () -> LogAssertions.assertLogsAgree(List.of(a, b)));
    assertTrue(e.getMessage().contains("share (index 4, term 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("differ at index 3"), e.getMessage());
  }

  @Test
  void aCommittedEntryThatDiffersIsCaught() {
    StepNode a = node(1, Entries.withTerms(2, 1, 2), 3);
    StepNode b = node(2, Entries.withTerms(2, 1, 3), 3);
    AssertionError e =
        assertThrows(AssertionError.class, () -> LogAssertions.assertLogsAgree(List.of(a, b)));
    assertTrue(e.getMessage().contains("both committed index 3"), e.getMessage());
    assertTrue(e.getMessage().contains("differ at index 3"), e.getMessage());
  }

  @Test
  void entriesAppliedDifferentlyAtOneIndexAreCaughtEvenAfterBothLogsWereCompacted() {
    StepNode a = node(1, log(Entries.entry(2, 1, "x")), 2);
    StepNode b = node(2, log(Entries.entry(2, 1, "y")), 2);
    for (StepNode n : List.of(a, b)) {
      n.storage().createSnapshot(2, n.confState(), ByteString.EMPTY);
      n.storage().compact(2);
    }
    AssertionError e =
        assertThrows(AssertionError.class, () -> LogAssertions.assertLogsAgree(List.of(a, b)));
    assertTrue(e.getMessage().contains("applied different entries at index 2"), e.getMessage());
  }

  @Test
  void logsEqualEntryForEntryPassAndAnyDifferenceIsCaught() {
    StepCluster same = StepCluster.create(3);
    same.campaign(1);
    same.propose(1, "a");
    LogAssertions.assertLogsEqual(same);

    StepCluster lagging = StepCluster.create(3);
    lagging.campaign(1);
    lagging.isolate(3);
    lagging.propose(1, "a");
    AssertionError e =
        assertThrows(AssertionError.class, () -> LogAssertions.assertLogsEqual(lagging));
    assertTrue(e.getMessage().contains("log of node 3 differs from node 1"), e.getMessage());
    LogAssertions.assertLogsAgree(lagging);
  }
}

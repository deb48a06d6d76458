package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * §5.3, Figure 7: "When the leader at the top comes to power, it is possible that any of scenarios
 * (a–f) could occur in follower logs." A follower "may be missing entries (a–b), may have extra
 * uncommitted entries (c–d), or both (e–f)". "In Raft, the leader handles inconsistencies by
 * forcing the followers' logs to duplicate its own."
 */
class PaperFigure7Test {
  /** The leader's log of Figure 7 (indexes 1..10); it is elected in term 8. */
  private static final long[] LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};

  /** What every log must be after the leader's empty entry of term 8 is replicated. */
  private static final List<Long> CONVERGED = Logs.list(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8);

  /** The data of the leader's entries 2..10 (entry 1 is in the snapshot), as applied. */
  private static List<String> leaderData() {
    List<String> out = new ArrayList<>();
    for (int i = 2; i <= LEADER.length; i++) {
      out.add(i + "/" + LEADER[i - 1]);
    }
    return out;
  }

  static Stream<Arguments> followers() {
    return Stream.of(
        Arguments.of("a: missing one entry", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6}),
        Arguments.of("b: missing many entries", new long[] {1, 1, 1, 4}),
        Arguments.of("c: one extra entry", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}),
        Arguments.of(
            "d: extra entries of a later term", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}),
        Arguments.of("e: missing and extra entries", new long[] {1, 1, 1, 4, 4, 4, 4}),
        Arguments.of(
            "f: conflicting entries of old terms", new long[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));
  }

  /**
   * §5.3, Figure 7: whatever a follower's log (a–f), the leader of term 8 finds the latest entry
   * where the two agree, deletes the follower's entries after it, and sends its own; its own log
   * stays as it was, plus its new entry. Node 3 holds the leader's log and supplies the third vote.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("followers")
  void leaderForcesFollowerLogToDuplicateItsOwn(String name, long[] followerLog) {
    StepCluster c =
        StepCluster.fromStorages(
            List.of(
                Logs.storage(3, 7, LEADER),
                Logs.atLastTerm(3, followerLog),
                Logs.storage(3, 7, LEADER)),
            b -> b);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role(), name);
    assertEquals(8, c.node(1).term(), name);
    for (StepNode n : c.nodes().values()) {
      assertEquals(CONVERGED, Logs.terms(n.storage()), name + ": node " + n.id());
      assertEquals(11, n.commit(), name + ": node " + n.id());
    }
    assertEquals(leaderData(), c.node(2).appliedData(), name);
    LogAssertions.assertLogsAgree(c);
  }

  /**
   * §5.3, Figure 7 as drawn: the leader and all six followers (a–f) in one seven-server cluster.
   * The leader wins with the votes of a, b, e and f (c and d hold more up-to-date logs, §5.4.1),
   * then brings every follower's log in line with its own and commits its term-8 entry.
   */
  @Test
  void wholeFigureConvergesOnLeadersLog() {
    List<MemoryStorage> storages = new ArrayList<>();
    storages.add(Logs.storage(7, 7, LEADER));
    followers().forEach(a -> storages.add(Logs.atLastTerm(7, (long[]) a.get()[1])));
    StepCluster c = StepCluster.fromStorages(storages, b -> b);
    c.campaign(1);
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(8, c.node(1).term());
    for (StepNode n : c.nodes().values()) {
      assertEquals(CONVERGED, Logs.terms(n.storage()), "node " + n.id());
      assertEquals(11, n.commit(), "node " + n.id());
      assertEquals(
          leaderData(), n.appliedData(), "node " + n.id() + " applied the leader's entries");
    }
    LogAssertions.assertLogsAgree(c);
  }
}

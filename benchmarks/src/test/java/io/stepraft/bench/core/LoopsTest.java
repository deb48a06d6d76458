package io.stepraft.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmarks' loops do their work and their checks fire (what `mvn verify` runs of them). */
class LoopsTest {
  @Test
  void singleVoterAppliesOneEntryPerOperationInOneOrTwoReadies() {
    ProposalLoop loop = new ProposalLoop(1);
    long first = loop.proposeAndStabilize();
    for (int i = 1; i < 1000; i++) {
      assertEquals(first + i, loop.proposeAndStabilize());
    }
    assertEquals(1000, loop.operations());
    assertEquals(0, loop.messages(), "a single voter sends nothing");
    assertTrue(loop.readies() >= 1000 && loop.readies() <= 2000, "readies " + loop.readies());
  }

  @Test
  void twoVotersAppendToTheFollowerOncePerOperation() {
    ProposalLoop loop = new ProposalLoop(2);
    for (int i = 0; i < 1000; i++) {
      loop.proposeAndStabilize();
    }
    assertTrue(loop.messages() >= 1000, "messages " + loop.messages());
    WorkCheck.atLeast("messages per op", loop.messages(), loop.operations(), 1.0);
  }

  @Test
  void threeNodesCommitEveryBatchWithAndWithoutSerialization() {
    for (boolean serialize : new boolean[] {false, true}) {
      ThreeNodeLoop loop = new ThreeNodeLoop(serialize);
      long start = loop.proposeBatch(1);
      assertEquals(start + 128, loop.proposeBatch(128));
      for (int i = 0; i < 200; i++) {
        loop.proposeBatch(1);
      }
      WorkCheck.atLeast("messages per op", loop.messages(), loop.operations(), 4.0);
    }
  }

  @Test
  void benchmarksThatStopWorkingFail() {
    assertThrows(IllegalStateException.class, () -> WorkCheck.atLeast("x", 0, 0, 1));
    assertThrows(IllegalStateException.class, () -> WorkCheck.atLeast("x", 5, 10, 1));
  }

  @Test
  void statusAndQuorumBenchmarksSetUp() {
    StatusBenchmark status = new StatusBenchmark();
    status.members = 5;
    status.setUp();
    assertEquals(5, status.status().progress().size());
    QuorumBenchmark quorum = new QuorumBenchmark();
    quorum.voters = 5;
    quorum.setUp();
    assertTrue(quorum.committedIndex() >= 0);
  }
}

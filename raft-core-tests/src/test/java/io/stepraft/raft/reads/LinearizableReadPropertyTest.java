package io.stepraft.raft.reads;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stepraft.raft.RaftException;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.testing.LogAssertions;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of ReadIndex under elections, message loss and partitions: every read index
 * covers every write that any node had applied (so, committed) before the read was requested.
 */
class LinearizableReadPropertyTest {
  private static final int CASES = 500;
  private static final int STEPS = 60;

  /** What one random run saw. */
  private record Outcome(int issued, int answered) {}

  @Test
  void everyReadIndexCoversEveryWriteAppliedAnywhereBeforeTheReadWasRequested() {
    int answered = 0;
    int issued = 0;
    for (long seed = 1; seed <= CASES; seed++) {
      try {
        Outcome o = runCase(seed);
        answered += o.answered();
        issued += o.issued();
      } catch (AssertionError | RuntimeException e) {
        fail("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    assertTrue(
        answered > issued / 2,
        "the scenarios must answer most reads: " + answered + " of " + issued);
  }

  private static Outcome runCase(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    boolean preVote = rnd.nextBoolean();
    boolean checkQuorum = rnd.nextBoolean();
    StepCluster c = StepCluster.create(3, b -> b.preVote(preVote).checkQuorum(checkQuorum));
    c.campaign(1 + rnd.nextInt(3));
    Map<String, Long> floorByCtx = new HashMap<>();
    for (int step = 0; step < STEPS; step++) {
      long node = 1 + rnd.nextInt(3);
      int op = rnd.nextInt(13);
      if (op < 3) {
        byte[] data = ("w" + seed + "/" + step).getBytes(StandardCharsets.UTF_8);
        tryRun(() -> c.node(node).raw().propose(data));
      } else if (op < 6) {
        String ctx = seed + "/" + step;
        long floor = maxApplied(c);
        tryRun(() -> c.node(node).raw().readIndex(ctx.getBytes(StandardCharsets.UTF_8)));
        floorByCtx.put(ctx, floor);
      } else if (op < 8) {
        c.tickAll(1 + rnd.nextInt(4));
      } else if (op == 8) {
        c.node(node).raw().campaign();
      } else if (op == 9) {
        c.drop(node, 1 + rnd.nextInt(3), rnd.nextDouble());
      } else if (op == 10) {
        c.isolate(node);
      } else if (op == 11) {
        c.recover();
      } else {
        writeWhoseCommitOnlyTheLeaderLearns(c, "h" + seed + "/" + step);
      }
      c.stabilize();
    }
    c.recover();
    c.tickAll(30);
    LogAssertions.assertLogsAgree(c);
    int answered = 0;
    for (StepNode n : c.nodes().values()) {
      for (ReadState rs : n.readStates()) {
        String ctx = new String(rs.requestContext(), StandardCharsets.UTF_8);
        Long floor = floorByCtx.get(ctx);
        assertTrue(
            floor != null, "node " + n.id() + " got an answer to a read it never issued: " + ctx);
        assertTrue(
            rs.index() >= floor,
            "read "
                + ctx
                + " on node "
                + n.id()
                + " answered at "
                + rs.index()
                + " but index "
                + floor
                + " was already applied when it was requested");
        answered++;
      }
    }
    return new Outcome(floorByCtx.size(), answered);
  }

  /**
   * The leader replicates a write and commits it, but every message it sends afterwards is lost:
   * the followers hold the write without knowing it committed. A new leader then starts with a
   * commit index below an applied write, the case where answering a read too early is stale.
   */
  private static void writeWhoseCommitOnlyTheLeaderLearns(StepCluster c, String data) {
    long leader = c.leader();
    if (leader == 0) {
      return;
    }
    tryRun(() -> c.node(leader).raw().propose(data.getBytes(StandardCharsets.UTF_8)));
    for (Message m : c.collect(leader)) {
      tryRun(() -> c.node(m.getTo()).raw().step(m));
    }
    for (long other : c.nodes().keySet()) {
      if (other != leader) {
        c.cutOneWay(leader, other);
      }
    }
  }

  private static void tryRun(Runnable r) {
    try {
      r.run();
    } catch (RaftException e) {
      // no leader, campaigning, a stale message: refused, which is allowed
    }
  }

  private static long maxApplied(StepCluster c) {
    long max = 0;
    for (StepNode n : c.nodes().values()) {
      max = Math.max(max, n.appliedIndex());
    }
    return max;
  }
}

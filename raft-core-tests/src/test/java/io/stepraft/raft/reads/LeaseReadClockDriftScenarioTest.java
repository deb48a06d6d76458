package io.stepraft.raft.reads;

import static io.stepraft.raft.reads.Reads.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.ReadOnlyOption;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Role;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lease a lease-based read relies on holds only while the nodes' clocks tick at about one rate.
 * Node 1 leads, passes a quorum check, hears from both followers, and is cut off. Real time then
 * passes in steps; in each, the followers tick once and node 1 ticks once every {@code
 * leaderPeriod} steps. With one rate, node 1's next quorum check comes before the followers' leases
 * expire, so it steps down before anyone else can commit. With node 1's clock running at a third of
 * the rate, the followers elect node 2, which commits a write, while node 1 still believes its
 * lease holds and answers a read from its stale commit index.
 */
class LeaseReadClockDriftScenarioTest {
  private static final int ELECTION_TICKS = 10;

  /**
   * The stale answers node 1 gives a lease read issued after a new leader committed a write: read
   * states whose index misses that write.
   */
  private static List<ReadState> staleLeaderRead(int leaderPeriod) {
    StepCluster c =
        StepCluster.create(3, b -> b.checkQuorum(true).readOnlyOption(ReadOnlyOption.LEASE_BASED));
    c.campaign(1);
    c.propose(1, "a");
    long before = c.node(1).commit();
    // Node 1 passes a quorum check at its tick 10 and hears from both followers right after.
    c.tickAll(ELECTION_TICKS);
    c.tickAll();
    c.isolate(1);
    for (int step = 1; step <= 4 * ELECTION_TICKS; step++) {
      c.tick(2, 1);
      c.tick(3, 1);
      if (step % leaderPeriod == 0) {
        c.tick(1, 1);
      }
      long other = c.leader();
      if (other != 1 && other != 0 && c.node(other).commit() > before) {
        break; // a new leader committed the entry of its term
      }
    }
    if (c.node(1).role() != Role.LEADER) {
      return List.of();
    }
    c.propose(c.leader(), "b");
    long committedElsewhere = c.node(c.leader()).commit();
    c.node(1).raw().readIndex(ctx("stale?"));
    c.stabilize();
    return c.node(1).readStates().stream().filter(rs -> rs.index() < committedElsewhere).toList();
  }

  @Test
  void withClocksAtOneRateTheCutOffLeaderStepsDownBeforeAnyoneElseCanLead() {
    assertEquals(List.of(), staleLeaderRead(1));
  }

  @Test
  void withTheLeadersClockAtAThirdOfTheRateItServesAStaleReadFromItsLease() {
    assertEquals(
        1, staleLeaderRead(3).size(), "node 1 still believes its lease and misses the new writes");
  }
}

package io.stepraft.raft.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.testing.StepNode;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * §5.2: "Raft uses randomized election timeouts to ensure that split votes are rare ... election
 * timeouts are chosen randomly from a fixed interval." Here the interval is [electionTicks, 2 *
 * electionTicks), drawn from the node's seeded random source.
 */
class PaperElectionTimeoutTest {
  private static final int ELECTION = 10;

  private static StepNode follower(long seed) {
    return Solo.of(Logs.storage(3, 1, 1), b -> b.electionTicks(ELECTION).randomSeed(seed));
  }

  /** Ticks until the node's term moves (it started an election) and returns how many it took. */
  private static int ticksUntilNewTerm(StepNode s) {
    long term = s.term();
    for (int ticks = 1; ticks <= 4 * ELECTION; ticks++) {
      s.tick(1);
      if (s.term() != term) {
        return ticks;
      }
    }
    throw new AssertionError("no election within " + 4 * ELECTION + " ticks");
  }

  /**
   * §5.2: every follower's election timeout lies in [electionTicks, 2 * electionTicks), and over
   * many seeds every value of that interval occurs.
   */
  @Test
  void followerTimeoutsStayInRangeAndSpreadOverIt() {
    TreeSet<Integer> seen = new TreeSet<>();
    for (long seed = 1; seed <= 2000; seed++) {
      StepNode s = follower(seed);
      int t = ticksUntilNewTerm(s);
      assertTrue(t >= ELECTION && t < 2 * ELECTION, "seed " + seed + ": timeout " + t);
      assertEquals(Role.CANDIDATE, s.role(), "seed " + seed);
      seen.add(t);
    }
    assertEquals(ELECTION, seen.size(), "values seen: " + seen);
  }

  /**
   * §5.2: "each candidate restarts its randomized election timeout at the start of an election":
   * successive timeouts of one candidate are redrawn, stay in range, and vary.
   */
  @Test
  void candidateRedrawsTimeoutForEachElection() {
    for (long seed = 1; seed <= 50; seed++) {
      StepNode s = follower(seed);
      ticksUntilNewTerm(s);
      TreeSet<Integer> seen = new TreeSet<>();
      for (int election = 0; election < 200; election++) {
        int t = ticksUntilNewTerm(s);
        assertTrue(
            t >= ELECTION && t < 2 * ELECTION, "seed " + seed + " election " + election + ": " + t);
        seen.add(t);
      }
      assertEquals(ELECTION, seen.size(), "seed " + seed + " values seen: " + seen);
      assertEquals(Role.CANDIDATE, s.role(), "seed " + seed);
    }
  }

  /**
   * §5.2: randomization "spreads out the servers so that in most cases only a single server will
   * time out". With five followers drawing from ten values, the earliest timeout is shared with
   * probability 1 - 0.5 * (1^4 + ... + 9^4) / 10^4, about 0.23; over 2000 seeded clusters the
   * observed rate stays below 0.3.
   */
  @Test
  void earliestTimeoutIsRarelyShared() {
    SplittableRandom seeds = new SplittableRandom(20240611L);
    int rounds = 2000;
    int shared = 0;
    for (int round = 0; round < rounds; round++) {
      int min = Integer.MAX_VALUE;
      int atMin = 0;
      for (int node = 0; node < 5; node++) {
        int t = ticksUntilNewTerm(follower(seeds.nextLong()));
        if (t < min) {
          min = t;
          atMin = 1;
        } else if (t == min) {
          atMin++;
        }
      }
      if (atMin > 1) {
        shared++;
      }
    }
    double rate = (double) shared / rounds;
    assertTrue(rate < 0.3, "earliest timeout shared in " + shared + " of " + rounds + " rounds");
    assertTrue(rate > 0.1, "the draws look too regular to be random: " + rate);
  }
}

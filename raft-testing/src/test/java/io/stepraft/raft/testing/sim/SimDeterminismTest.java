package io.stepraft.raft.testing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimDeterminismTest {
  @Test
  void theSameSeedReplaysTheSameRunEventForEvent() {
    for (long seed = 1; seed <= 20; seed++) {
      RunResult a = Simulator.run(seed, SimOptions.defaults());
      RunResult b = Simulator.run(seed, SimOptions.defaults());
      assertEquals(a.fingerprint(), b.fingerprint(), "seed " + seed);
      assertEquals(a.stats().toString(), b.stats().toString(), "seed " + seed);
      assertEquals(a.trace(), b.trace(), "seed " + seed);
      assertEquals(a.params(), b.params(), "seed " + seed);
    }
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    RunResult a = Simulator.run(1, SimOptions.defaults());
    RunResult b = Simulator.run(2, SimOptions.defaults());
    assertNotEquals(a.fingerprint(), b.fingerprint());
    assertNotEquals(a.params(), b.params());
  }

  @Test
  void aPlantedBugReplaysTheSameViolation() {
    SimOptions o =
        SimOptions.defaults()
            .planted(PlantedBug.CORRUPT_ENTRY, java.util.EnumSet.allOf(Check.class));
    RunResult a = Simulator.run(3, o);
    RunResult b = Simulator.run(3, o);
    assertTrue(!a.ok() && !b.ok(), "the corrupting network is caught");
    assertEquals(a.violation().getMessage(), b.violation().getMessage());
    assertEquals(a.fingerprint(), b.fingerprint());
  }
}

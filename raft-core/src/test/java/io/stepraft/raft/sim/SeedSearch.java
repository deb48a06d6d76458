package io.stepraft.raft.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

/**
 * How the planted-bug tests show that a checker works: search a bounded range of seeds until the
 * checker, the only one enabled, reports the planted bug; then replay that seed without the bug,
 * every check enabled, and expect a clean run. A search, not fixed seeds: any change to the random
 * stream moves the failing seeds, and the test must not care which seed fails, only that one does
 * within the budget.
 */
final class SeedSearch {
  private SeedSearch() {}

  /**
   * Asserts that {@code check} fires within seeds {@code 1..seedsMax} of {@code buggy} (whose
   * planted bug and enabled checks are replaced by {@code bug} and {@code check}) and that the
   * first failing seed passes under {@code clean}.
   *
   * @return the run that caught the bug
   */
  static RunResult assertCaught(
      SimOptions buggy, PlantedBug bug, Check check, SimOptions clean, int seedsMax) {
    SimOptions search = buggy.planted(bug, EnumSet.of(check));
    RunResult caught = null;
    for (long seed = 1; seed <= seedsMax && caught == null; seed++) {
      RunResult r = World.run(seed, search);
      if (!r.ok()) {
        caught = r;
      }
    }
    assertNotNull(caught, check + " never fired in " + seedsMax + " seeds");
    assertEquals(check, caught.violation().check(), caught.report());
    RunResult cleanRun = World.run(caught.seed(), clean);
    assertTrue(
        cleanRun.ok(), "seed " + caught.seed() + " fails without the bug:\n" + cleanRun.report());
    return caught;
  }
}

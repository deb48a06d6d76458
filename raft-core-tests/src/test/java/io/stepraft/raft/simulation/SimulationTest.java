package io.stepraft.raft.simulation;

import io.stepraft.raft.testing.sim.SimOptions;
import io.stepraft.raft.testing.sim.SimParams;
import io.stepraft.raft.testing.sim.SimulationAssertions;
import io.stepraft.raft.testing.sim.Simulator;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over many seeds and fails with a replayable report if any run violates a
 * check, or if the runs did no real work (see {@link SimulationAssertions#assertSeedsPass}). System
 * properties: {@code sim.seeds} (how many, default 1000, which the build also sets), {@code
 * sim.firstSeed} (default 1), {@code sim.seed} (replay just this one), {@code sim.verbose} (print
 * every event), {@code sim.storm} (run every seed in this {@link SimParams.Storm}, e.g. {@code
 * FIGURE_8}).
 */
class SimulationTest {
  /** The storm every seed runs in, or empty for the drawn ones. */
  private static final String STORM = System.getProperty("sim.storm", "");

  @Test
  void everySeedKeepsEveryCheck() {
    Long one = Long.getLong("sim.seed");
    SimOptions options =
        SimOptions.defaults()
            .verbose(Boolean.getBoolean("sim.verbose"))
            .replayCommand(SimulationTest::replayCommand);
    if (!STORM.isEmpty()) {
      options = options.storm(SimParams.Storm.valueOf(STORM));
    }
    if (one != null) {
      System.out.println(Simulator.run(one, options).summary());
      SimulationAssertions.assertSeedsPass(one, 1, options);
      return;
    }
    SimulationAssertions.assertSeedsPass(
        Long.getLong("sim.firstSeed", 1), Long.getLong("sim.seeds", 1000), options);
  }

  /** The command that replays a seed of this test, printing every event. */
  static String replayCommand(long seed) {
    return "mvn -B -Psoak test -pl raft-core-tests -am -Dsim.seed="
        + seed
        + (STORM.isEmpty() ? "" : " -Dsim.storm=" + STORM)
        + " -Dsim.verbose=true";
  }
}

package io.stepraft.raft.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FailureReportTest {
  @Test
  void aFailureReportNamesTheSeedTheParametersTheLastEventsAndTheReplayCommand() {
    RunResult r =
        World.run(
            7, SimOptions.defaults().planted(PlantedBug.CORRUPT_ENTRY, EnumSet.allOf(Check.class)));
    assertFalse(r.ok());
    String report = r.report();
    assertTrue(report.contains("seed=7"), report);
    assertTrue(report.contains("violation: LOG_MATCHING"), report);
    assertTrue(report.contains("params: SimParams[seed=7"), report);
    assertTrue(report.contains("last events:\n  t="), report);
    assertTrue(report.contains("replay: " + RunResult.replayCommand(7)), report);
    assertTrue(
        RunResult.replayCommand(7)
            .equals(
                "mvn -B -pl raft-core test -Dtest=SimulationTest -Dsim.seed=7 -Dsim.verbose=true"),
        report);
  }

  @Test
  void theReportShowsAtMostTheConfiguredNumberOfEvents() {
    SimOptions o =
        SimOptions.defaults().planted(PlantedBug.CORRUPT_ENTRY, EnumSet.allOf(Check.class));
    RunResult r = World.run(7, o);
    long events = r.trace().lines().count();
    assertTrue(events > 0 && events <= o.traceDepth(), events + " events");
  }
}

package io.stepraft.raft.testing.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FailureReportTest {
  @Test
  void aFailureReportNamesTheSeedTheParametersTheLastEventsAndTheReplayCommand() {
    RunResult r =
        Simulator.run(
            7,
            SimOptions.defaults()
                .planted(PlantedBug.CORRUPT_ENTRY, EnumSet.allOf(Check.class))
                .replayCommand(seed -> "replay seed " + seed + " verbosely"));
    assertFalse(r.ok());
    String report = r.report();
    assertTrue(report.contains("seed=7"), report);
    assertTrue(report.contains("violation: LOG_MATCHING"), report);
    assertTrue(report.contains("params: SimParams[seed=7"), report);
    assertTrue(report.contains("last events:\n  t="), report);
    assertTrue(report.contains("replay: replay seed 7 verbosely\n"), report);
    assertTrue(r.replayCommand().equals("replay seed 7 verbosely"), r.replayCommand());
  }

  @Test
  void theReportShowsAtMostTheConfiguredNumberOfEvents() {
    SimOptions o =
        SimOptions.defaults().planted(PlantedBug.CORRUPT_ENTRY, EnumSet.allOf(Check.class));
    RunResult r = Simulator.run(7, o);
    long events = r.trace().lines().count();
    assertTrue(events > 0 && events <= o.traceDepth(), events + " events");
  }
}

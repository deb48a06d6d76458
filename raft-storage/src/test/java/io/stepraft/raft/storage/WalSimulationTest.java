package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.testing.sim.Check;
import io.stepraft.raft.testing.sim.RunResult;
import io.stepraft.raft.testing.sim.SimOptions;
import io.stepraft.raft.testing.sim.SimulationAssertions;
import io.stepraft.raft.testing.sim.Simulator;
import io.stepraft.raft.testing.sim.SoakResult;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster simulator over the real WAL: every node keeps its writes in a {@link DurableStorage}
 * on a {@link MemFileIo} that loses unsynced writes, tears the last ones and flips bits in closed
 * segments; every restart goes through the WAL's real replay and repair, and must give back what
 * the simulator's model of the disk says a crash leaves. Damage must end in a clean refusal to
 * start, after which the simulated operator replaces the node. System properties: {@code
 * walsim.seeds} (default 300, the soak raises it), {@code walsim.firstSeed} (default 1), {@code
 * walsim.seed} (replay one), {@code walsim.verbose}.
 */
class WalSimulationTest {
  /** A crash damages a closed segment this often (at most one member lost at a time). */
  private static final double CORRUPTION_PER_CRASH = 0.05;

  static SimOptions options() {
    return SimOptions.defaults()
        .storage(WalSimStorage::new)
        .corruptionPerCrash(CORRUPTION_PER_CRASH)
        .verbose(Boolean.getBoolean("walsim.verbose"))
        .replayCommand(
            seed ->
                "mvn -B -Psoak test -pl raft-storage -am -Dwalsim.seed="
                    + seed
                    + " -Dwalsim.verbose=true");
  }

  @Test
  void everySeedKeepsEveryCheckOverTheRealWal() {
    Long one = Long.getLong("walsim.seed");
    if (one != null) {
      System.out.println(Simulator.run(one, options()).summary());
      SimulationAssertions.assertSeedsPass(one, 1, options());
      return;
    }
    long count = Long.getLong("walsim.seeds", 300);
    SoakResult soak =
        SimulationAssertions.assertSeedsPass(Long.getLong("walsim.firstSeed", 1), count, options());
    if (count >= 100) {
      assertTrue(soak.totals().lostRecords() > 0, "no crash lost a write: " + soak.summary());
      assertTrue(soak.totals().nodesLost() > 0, "no node lost to damage: " + soak.summary());
    }
  }

  /**
   * A WAL that does not fsync (sync disabled) loses writes it acknowledged as synced: the storage
   * check catches it within a few seeds.
   */
  @Test
  void aWalThatDoesNotSyncIsCaught() {
    SimOptions unsynced =
        SimOptions.defaults()
            .storage((seed, id) -> new WalSimStorage(seed, id, false))
            .checks(Set.of(Check.STORAGE));
    Optional<RunResult> caught = Simulator.firstFailure(1, 50, unsynced);
    assertTrue(caught.isPresent(), "a WAL without fsync was never caught in 50 seeds");
    assertEquals(Check.STORAGE, caught.get().violation().check(), caught.get().report());
  }
}

package io.stepraft.raft;

/**
 * Test-only switches for bugs planted in the core, for tests outside this package (the simulator
 * applies them through {@code SimOptions.coreVariant}).
 */
public final class PlantedBugs {
  private PlantedBugs() {}

  /** Makes {@code n}'s leader commit entries of earlier terms by counting replicas (Figure 8). */
  public static void commitByCounting(RawNode n) {
    n.raft().plantedBugCommitByCounting = true;
  }
}

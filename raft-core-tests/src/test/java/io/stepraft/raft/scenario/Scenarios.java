package io.stepraft.raft.scenario;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.testing.StepCluster;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the scenario tests: proposals that are not followed by stabilizing. */
final class Scenarios {
  private Scenarios() {}

  /** Proposes {@code data} on {@code id} without stabilizing. */
  static void proposeRaw(StepCluster c, long id, String data) {
    c.node(id).raw().propose(data.getBytes(StandardCharsets.UTF_8));
  }

  /** The reason a proposal of {@code data} on {@code id} is dropped; fails if it is accepted. */
  static ProposalDroppedException.Reason dropReason(StepCluster c, long id, String data) {
    return assertThrows(ProposalDroppedException.class, () -> proposeRaw(c, id, data)).reason();
  }
}

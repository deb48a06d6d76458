package io.stepraft.raft;

import java.util.function.Function;

/**
 * Nodes with a bug planted in the core, built from the test side through {@link RawNode}'s
 * package-private constructor: the simulator runs them (see {@code SimOptions.nodeFactory}) to show
 * that its checkers catch real core bugs.
 */
public final class PlantedBugs {
  private PlantedBugs() {}

  /** Nodes whose leader commits entries of earlier terms by counting replicas (Figure 8). */
  public static Function<Config, RawNode> commitByCounting() {
    CommitRule byCounting =
        (log, quorumIndex, term) -> log.maybeCommit(quorumIndex, log.termOrZero(quorumIndex));
    return c -> new RawNode(c, CoreParts.STANDARD.withCommitRule(byCounting));
  }

  /**
   * Nodes whose leader confirms reads by the host's context (see {@link ContextKeyedReadQueue}): a
   * late acknowledgement of an earlier round confirms reads queued after it was sent.
   */
  public static Function<Config, RawNode> contextKeyedReads() {
    return c -> new RawNode(c, CoreParts.STANDARD.withReadQueue(ContextKeyedReadQueue::new));
  }

  /** A single node with context-keyed reads, for scenario tests of the planted bug. */
  static RawNode contextKeyedReads(Config c) {
    return contextKeyedReads().apply(c);
  }
}

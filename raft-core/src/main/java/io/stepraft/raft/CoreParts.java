package io.stepraft.raft;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The parts of the state machine fixed when a node is built. Every production node uses {@link
 * #STANDARD}; tests in this package build nodes with broken parts (a planted bug) through {@link
 * RawNode}'s package-private constructor, so that no production path tests a flag for them.
 *
 * @param rules the safety rules
 * @param readQueue makes the queue of the leader's pending reads (one per node)
 */
record CoreParts(SafetyRules rules, Supplier<ReadQueue> readQueue) {
  /** The parts of every production node. */
  static final CoreParts STANDARD = new CoreParts(SafetyRules.STANDARD, PositionedReadQueue::new);

  CoreParts {
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(readQueue, "readQueue");
  }

  /** A copy with other safety rules. */
  CoreParts withRules(SafetyRules other) {
    return new CoreParts(other, readQueue);
  }

  /** A copy with another kind of read queue. */
  CoreParts withReadQueue(Supplier<ReadQueue> queue) {
    return new CoreParts(rules, queue);
  }
}

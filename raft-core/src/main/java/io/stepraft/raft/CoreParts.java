package io.stepraft.raft;

import java.util.Objects;

/**
 * The parts of the state machine fixed when a node is built. Every production node uses {@link
 * #STANDARD}; tests in this package build nodes with broken parts (a planted bug) through {@link
 * RawNode}'s package-private constructor, so that no production path tests a flag for them.
 *
 * @param commitRule how the leader commits what a quorum holds
 */
record CoreParts(CommitRule commitRule) {
  /** The parts of every production node. */
  static final CoreParts STANDARD = new CoreParts(CommitRule.CURRENT_TERM_ONLY);

  CoreParts {
    Objects.requireNonNull(commitRule, "commitRule");
  }
}

package io.stepraft.raft.tracker;

import io.stepraft.raft.quorum.JointConfig;
import java.util.Set;

/** Checks the rules a tracker configuration must satisfy before it is installed. */
final class ConfigValidator {
  private ConfigValidator() {}

  static void check(
      JointConfig voters, Set<Long> learners, Set<Long> learnersNext, boolean autoLeave) {
    for (long id : learners) {
      if (voters.contains(id)) {
        throw new IllegalStateException("learner " + id + " is also a voter in " + voters);
      }
    }
    for (long id : learnersNext) {
      if (!voters.outgoing().contains(id)) {
        throw new IllegalStateException(
            "learnerNext " + id + " is not an outgoing voter in " + voters);
      }
      if (voters.incoming().contains(id)) {
        throw new IllegalStateException(
            "learnerNext " + id + " is also an incoming voter in " + voters);
      }
    }
    if (autoLeave && !voters.isJoint()) {
      throw new IllegalStateException("autoLeave is set but voters " + voters + " are not joint");
    }
  }
}

package io.stepraft.raft.quorum;

import java.util.HashMap;
import java.util.Map;

/** Builds vote maps from (id, granted) pairs for tests. */
final class Votes {
  private Votes() {}

  static Map<Long, Boolean> of(Object... idGrantedPairs) {
    Map<Long, Boolean> votes = new HashMap<>();
    for (int i = 0; i < idGrantedPairs.length; i += 2) {
      votes.put(((Number) idGrantedPairs[i]).longValue(), (Boolean) idGrantedPairs[i + 1]);
    }
    return votes;
  }
}

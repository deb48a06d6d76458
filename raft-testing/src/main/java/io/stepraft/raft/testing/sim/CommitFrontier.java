package io.stepraft.raft.testing.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * What is known about the term in which indexes were committed. A node at term {@code T} with
 * commit index {@code c} shows that every index up to {@code c} was committed in a term {@code <=
 * T}: it learned the commit from a leader of a term no later than its own. The frontier keeps the
 * reports that are not dominated (a higher commit with a lower or equal term), so it is increasing
 * in both commit and term.
 */
final class CommitFrontier {
  private final TreeMap<Long, Long> termByCommit = new TreeMap<>();

  void report(long term, long commit) {
    if (commit == 0) {
      return;
    }
    Map.Entry<Long, Long> ceil = termByCommit.ceilingEntry(commit);
    if (ceil != null && ceil.getValue() <= term) {
      return;
    }
    Map.Entry<Long, Long> floor;
    while ((floor = termByCommit.floorEntry(commit)) != null && floor.getValue() >= term) {
      termByCommit.remove(floor.getKey());
    }
    termByCommit.put(commit, term);
  }

  /** The highest index known to be committed in a term before {@code term}; 0 if none. */
  long committedBefore(long term) {
    for (Map.Entry<Long, Long> e : termByCommit.descendingMap().entrySet()) {
      if (e.getValue() < term) {
        return e.getKey();
      }
    }
    return 0;
  }
}

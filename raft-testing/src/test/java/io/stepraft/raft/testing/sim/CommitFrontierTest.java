package io.stepraft.raft.testing.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CommitFrontierTest {
  @Test
  void committedBeforeMatchesTheMaximumOverEveryReportOfAnEarlierTerm() {
    for (long seed = 0; seed < 2000; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      CommitFrontier f = new CommitFrontier();
      List<long[]> reports = new ArrayList<>();
      for (int i = 0, n = rng.nextInt(30); i < n; i++) {
        long term = 1 + rng.nextInt(10);
        long commit = rng.nextInt(50);
        f.report(term, commit);
        reports.add(new long[] {term, commit});
        for (long t = 0; t <= 12; t++) {
          assertEquals(
              naive(reports, t),
              f.committedBefore(t),
              "seed " + seed + " after report " + i + ", term " + t);
        }
      }
    }
  }

  private static long naive(List<long[]> reports, long term) {
    long best = 0;
    for (long[] r : reports) {
      if (r[0] < term) {
        best = Math.max(best, r[1]);
      }
    }
    return best;
  }
}

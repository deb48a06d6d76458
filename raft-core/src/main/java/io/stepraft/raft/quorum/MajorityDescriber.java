package io.stepraft.raft.quorum;

/**
 * Renders a majority configuration's acknowledged indexes as a text table for debugging.
 *
 * <p>Each voter gets one line, in id order. The bar in front grows with the number of voters that
 * acknowledged strictly less, so the voters furthest ahead have the longest bars; a voter with
 * nothing acknowledged shows {@code ?} as its index. The last line gives the committed index.
 *
 * <pre>
 * =&gt;   id=1 acked=100
 * ==&gt;  id=2 acked=101
 * &gt;    id=3 acked=?
 * committed=100 quorum=2/3
 * </pre>
 */
final class MajorityDescriber {
  private MajorityDescriber() {}

  static String describe(MajorityConfig config, AckedIndexer acked) {
    long[] ids = config.ids();
    long[] indexes = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      indexes[i] = acked.ackedIndex(ids[i]);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ids.length; i++) {
      int rank = countBelow(indexes, indexes[i]);
      sb.append("=".repeat(rank)).append('>');
      sb.append(" ".repeat(ids.length - rank + 1));
      sb.append("id=").append(ids[i]).append(" acked=");
      sb.append(indexes[i] == 0 ? "?" : Long.toString(indexes[i])).append('\n');
    }
    sb.append("committed=").append(committedText(config.committedIndex(acked)));
    return sb.append(" quorum=").append(config.quorum()).append('/').append(ids.length).toString();
  }

  private static int countBelow(long[] indexes, long index) {
    int below = 0;
    for (long other : indexes) {
      if (other < index) {
        below++;
      }
    }
    return below;
  }

  private static String committedText(long committed) {
    return committed == Long.MAX_VALUE ? "max" : Long.toString(committed);
  }
}

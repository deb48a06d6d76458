package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import java.util.List;

/**
 * Size arithmetic over log entries. Two measures are in use: the serialized size of an entry (what
 * a batch costs on the wire or in memory, used for paging) and the payload size (the application
 * data alone, used to bound uncommitted proposals).
 */
final class EntrySizes {

  /** A size limit that never cuts anything. */
  static final long NO_LIMIT = Config.NO_LIMIT;

  private EntrySizes() {}

  /** The sum of the serialized sizes of {@code ents}. */
  static long entriesSize(List<Entry> ents) {
    long size = 0;
    for (int i = 0, n = ents.size(); i < n; i++) {
      size += ents.get(i).getSerializedSize();
    }
    return size;
  }

  /** The size of the application data carried by {@code e}. */
  static long payloadSize(Entry e) {
    return e.getData().size();
  }

  /** The sum of the payload sizes of {@code ents}. */
  static long payloadsSize(List<Entry> ents) {
    long size = 0;
    for (int i = 0, n = ents.size(); i < n; i++) {
      size += payloadSize(ents.get(i));
    }
    return size;
  }

  /**
   * The longest prefix of {@code ents} whose serialized size is at most {@code maxSizeBytes}, but
   * never less than one entry when {@code ents} is non-empty: a single entry larger than the limit
   * still makes progress. Returns {@code ents} itself when nothing is cut, a {@code subList} view
   * otherwise; nothing is copied.
   *
   * @throws IllegalArgumentException if {@code maxSizeBytes} is negative
   */
  static List<Entry> limitSize(List<Entry> ents, long maxSizeBytes) {
    int n = ents.size();
    int keep = fitting(ents, 0, n, maxSizeBytes);
    return keep == n ? ents : ents.subList(0, keep);
  }

  /**
   * How many entries of {@code ents[from, to)}, from the first, {@link #limitSize} keeps: the
   * longest run within {@code maxSizeBytes}, at least one when the range is not empty.
   *
   * @throws IllegalArgumentException if {@code maxSizeBytes} is negative
   */
  static int fitting(List<Entry> ents, int from, int to, long maxSizeBytes) {
    if (maxSizeBytes < 0) {
      throw new IllegalArgumentException("maxSizeBytes " + maxSizeBytes + " is negative");
    }
    int n = to - from;
    if (n <= 1 || maxSizeBytes == NO_LIMIT) {
      return n;
    }
    long size = ents.get(from).getSerializedSize();
    int keep = 1;
    while (keep < n) {
      size += ents.get(from + keep).getSerializedSize();
      if (size > maxSizeBytes) {
        break;
      }
      keep++;
    }
    return keep;
  }
}

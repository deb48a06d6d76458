package io.stepraft.raft.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment's file name, {@code %016x-%016x.wal}: its sequence number, then the index the default
 * group's next entry had when the segment was created. Names sort in log order.
 */
record SegmentName(long seq, long firstIndex) {
  static final String SUFFIX = ".wal";
  private static final Pattern PATTERN = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

  /** The name, or null if {@code fileName} is not a segment's. */
  static SegmentName parse(String fileName) {
    Matcher m = PATTERN.matcher(fileName);
    if (!m.matches()) {
      return null;
    }
    return new SegmentName(
        Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
  }

  String fileName() {
    return String.format("%016x-%016x%s", seq, firstIndex, SUFFIX);
  }
}

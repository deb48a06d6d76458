package io.stepraft.raft.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * A segment of the WAL: its name, its path, its open file, and for each group the index the group's
 * next entry had when the segment began (what deciding whether older segments are still needed
 * takes; empty for the first segment read at open, as nothing before it is kept).
 */
final class Segment {
  final SegmentName name;
  final Path path;
  final LogFile file;
  final Map<Long, Long> firstIndexByGroup;

  Segment(SegmentName name, Path path, LogFile file, Map<Long, Long> firstIndexByGroup) {
    this.name = name;
    this.path = path;
    this.file = file;
    this.firstIndexByGroup = Map.copyOf(firstIndexByGroup);
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}

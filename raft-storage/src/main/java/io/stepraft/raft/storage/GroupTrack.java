package io.stepraft.raft.storage;

import io.stepraft.raft.pb.HardState;

/**
 * What the WAL writer keeps of one group: the basis of the headers of new segments and of the
 * decision to release old ones.
 */
final class GroupTrack {
  /** The index of the group's last entry (or of a received snapshot with nothing after it). */
  long lastIndex;

  /** The group's last hard state, or null. */
  HardState hardState;

  /** The index of the group's latest snapshot; 0 when none. */
  long snapshotIndex;

  /** The sequence number of the segment holding that snapshot's record; -1 when none. */
  long snapshotSeq = -1;

  /**
   * Whether this group still needs the segments before {@code nextSeq}, a segment that began when
   * the group's next index was {@code nextFirstIndex} (null if the group did not exist then). They
   * are no longer needed once the latest snapshot covers every entry before that segment and its
   * record lies in that segment or later.
   */
  boolean needsSegmentsBefore(long nextSeq, Long nextFirstIndex) {
    if (nextFirstIndex == null) {
      return false;
    }
    if (nextFirstIndex > snapshotIndex + 1) {
      return true;
    }
    return snapshotIndex > 0 && snapshotSeq < nextSeq;
  }
}

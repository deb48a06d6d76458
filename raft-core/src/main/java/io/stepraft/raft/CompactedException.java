package io.stepraft.raft;

/**
 * The requested index is older than the storage's first index: it was compacted into a snapshot.
 * Raft answers this by sending a snapshot to a follower that needs the entries.
 */
public final class CompactedException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a request at {@code index} when {@code firstIndex} is the oldest
   * held.
   */
  public CompactedException(long index, long firstIndex) {
    super(
        "requested index "
            + index
            + " is unavailable due to compaction (first index "
            + firstIndex
            + ")",
        false);
  }
}

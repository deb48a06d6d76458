package io.stepraft.raft;

/** A snapshot was applied or created at an index older than the storage's current snapshot. */
public final class SnapshotOutOfDateException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a snapshot at {@code index} when the storage holds one at {@code
   * currentIndex}.
   */
  public SnapshotOutOfDateException(long index, long currentIndex) {
    super(
        "requested snapshot index "
            + index
            + " is older than the existing snapshot at "
            + currentIndex);
  }
}

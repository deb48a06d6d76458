package io.stepraft.raft;

/**
 * The storage cannot produce a snapshot right now (it is being built, say). The leader keeps the
 * follower where it is and asks again later.
 */
public final class SnapshotTemporarilyUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public SnapshotTemporarilyUnavailableException() {
    super("snapshot is temporarily unavailable", false);
  }
}

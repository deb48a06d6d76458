package io.stepraft.raft;

/** A condition reported by a {@link Storage}: the base of the storage-specific exceptions. */
public class StorageException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public StorageException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception that carries no stack trace (see {@link RaftException}). */
  protected StorageException(String message, boolean withStackTrace) {
    super(message, withStackTrace);
  }
}

package io.stepraft.raft;

/** The requested index is newer than the storage's last index: the entry does not exist yet. */
public final class UnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a request at {@code index} when {@code lastIndex} is the newest held.
   */
  public UnavailableException(long index, long lastIndex) {
    super(
        "requested entry at index " + index + " is unavailable (last index " + lastIndex + ")",
        false);
  }
}

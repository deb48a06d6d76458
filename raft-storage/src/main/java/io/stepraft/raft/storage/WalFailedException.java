package io.stepraft.raft.storage;

/**
 * A write or an fsync failed (a full disk, an I/O error). The write-ahead log is fail-stopped: what
 * the failed call wrote may or may not be durable, so nothing is retried, and this call and every
 * later one throw this exception. Restart the process once the cause is fixed: opening the
 * directory again recovers exactly what was durable.
 */
public final class WalFailedException extends StorageException {

  /**
   * Creates the exception.
   *
   * @param message what failed, with the file
   * @param cause the I/O error
   */
  public WalFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.stepraft.raft.storage;

/**
 * Another process, or another open {@link DurableStorage} in this one, holds the data directory's
 * lock file: two writers would corrupt the log.
 */
public final class StorageLockedException extends StorageException {

  /**
   * Creates the exception.
   *
   * @param message which lock file is held
   */
  public StorageLockedException(String message) {
    super(message);
  }
}

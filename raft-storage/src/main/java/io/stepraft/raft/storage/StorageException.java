package io.stepraft.raft.storage;

/**
 * The base of every error raised by raft-storage. It is unchecked: a node cannot go on without its
 * storage, so the host usually lets it end the node (or the process) and acts on the subtype.
 */
public class StorageException extends RuntimeException {

  /**
   * Creates an exception with a message that names what failed.
   *
   * @param message what failed, with the file and the numbers involved
   */
  public StorageException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message that names what failed, and its cause.
   *
   * @param message what failed, with the file and the numbers involved
   * @param cause the underlying error
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}

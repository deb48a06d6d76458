package io.stepraft.raft;

/**
 * A message from the network is malformed: a negative (overflowing) index or term, entries that are
 * not consecutive, a missing field its type needs. It was not applied; no state changed.
 */
public final class InvalidMessageException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a description of what is wrong. */
  public InvalidMessageException(String detail) {
    super("invalid message: " + detail);
  }
}

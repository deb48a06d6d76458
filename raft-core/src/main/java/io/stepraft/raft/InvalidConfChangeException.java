package io.stepraft.raft;

/**
 * A configuration change cannot be applied to the current configuration: it would remove every
 * voter, change several voters without joint consensus, leave a configuration that is not joint,
 * and so on. Nothing changed. Since every node applies the same committed changes to the same
 * configuration, every node refuses the same change.
 *
 * <p>{@link ConfChangeEntry#decode} throws it too, for an entry that holds no decodable
 * configuration change (another entry type, or data that does not parse).
 */
public final class InvalidConfChangeException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with what is wrong. */
  public InvalidConfChangeException(String detail) {
    super("invalid configuration change: " + detail);
  }

  InvalidConfChangeException(String detail, Throwable cause) {
    this(detail);
    initCause(cause);
  }
}

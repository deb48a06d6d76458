package io.stepraft.raft.confchange;

/**
 * A configuration change, or a stored configuration, breaks a rule of {@link ConfChanger}: it would
 * remove every voter, change several voters without joint consensus, and so on. Nothing changed.
 * The API turns it into {@code InvalidConfChangeException} (for a change) or {@code
 * IllegalStateException} (for a stored configuration, which is corrupt).
 */
public final class InvalidChangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidChangeException(String detail) {
    super(detail);
  }
}

package io.stepraft.raft;

/**
 * The base of every expected, typed failure that stepraft reports: a dropped proposal, a malformed
 * or misrouted message, a storage condition. Broken invariants are not {@code RaftException}s; they
 * throw {@link IllegalStateException} with the numbers involved.
 */
public class RaftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public RaftException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public RaftException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a stack trace, for conditions that are part of normal control flow
   * (a compacted index, say) and are raised often enough for the trace to cost.
   */
  protected RaftException(String message, boolean withStackTrace) {
    super(message, null, false, withStackTrace);
  }
}

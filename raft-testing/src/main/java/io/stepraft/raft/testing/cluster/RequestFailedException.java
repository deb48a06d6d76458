package io.stepraft.raft.testing.cluster;

/**
 * A request to a {@link LocalCluster} did not succeed. The {@link #reason()} tells whether it may
 * still take effect, which a history checker must know: a write that failed with {@link
 * Reason#REJECTED} or {@link Reason#LOST} is certainly not applied, one that {@link
 * Reason#TIMED_OUT} or was {@link Reason#ABANDONED} may be.
 */
public final class RequestFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request failed. */
  public enum Reason {
    /**
     * Refused before it reached the log: raft dropped the proposal (no leader, a transfer in
     * progress, ...: the cause is raft's exception), the node is not running, or its queue is full.
     * It did not take effect.
     */
    REJECTED,
    /**
     * It reached the log, and another entry was committed at its index: a new leader replaced it.
     * It did not take effect.
     */
    LOST,
    /** No outcome within the request timeout. A write may still take effect later. */
    TIMED_OUT,
    /**
     * The node stopped (a crash, {@link LocalCluster#close()}) or a snapshot replaced its log while
     * the request was pending: its outcome is unknown. A write may have taken effect.
     */
    ABANDONED
  }

  private final Reason reason;

  RequestFailedException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }

  /** Whether the request may have taken effect anyway: true after a timeout or abandonment. */
  public boolean mayHaveTakenEffect() {
    return reason == Reason.TIMED_OUT || reason == Reason.ABANDONED;
  }
}

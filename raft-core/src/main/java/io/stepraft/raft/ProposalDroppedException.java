package io.stepraft.raft;

/**
 * A proposal was not appended to the log. Nothing was lost: the caller still owns the data and may
 * retry, for instance once a leader is known.
 */
public final class ProposalDroppedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Why a proposal was dropped. */
  public enum Reason {
    /** No leader is known in the current term. */
    NO_LEADER,
    /** The leader is transferring leadership and accepts no proposals until it is done. */
    TRANSFER_IN_PROGRESS,
    /** The uncommitted entries would exceed {@code maxUncommittedEntriesSizeBytes}. */
    UNCOMMITTED_LIMIT,
    /** This node is a follower and proposal forwarding is disabled. */
    FORWARDING_DISABLED,
    /** This node is a candidate: it is in the middle of an election. */
    ELECTION_IN_PROGRESS,
    /** The leader is no longer in the configuration. */
    REMOVED_FROM_CONFIGURATION
  }

  private final Reason reason;

  /** Creates the exception for {@code reason}, with detail for the message. */
  public ProposalDroppedException(Reason reason, String detail) {
    super("proposal dropped (" + reason + "): " + detail, false);
    this.reason = reason;
  }

  /** Why the proposal was dropped. */
  public Reason reason() {
    return reason;
  }
}

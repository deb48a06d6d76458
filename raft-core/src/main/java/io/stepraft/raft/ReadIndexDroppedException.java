package io.stepraft.raft;

/**
 * A {@link RawNode#readIndex} request was not accepted: no leader is known, or this node is
 * campaigning. No {@link ReadState} will come for it; the host should retry or fail the read.
 *
 * <p>A request that was accepted can still go unanswered (a forwarded request lost on the network,
 * a leader that stepped down before a quorum confirmed it): hosts must time reads out.
 */
public final class ReadIndexDroppedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the reason. */
  public ReadIndexDroppedException(String detail) {
    super("read index request dropped: " + detail, false);
  }
}

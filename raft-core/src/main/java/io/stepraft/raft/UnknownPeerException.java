package io.stepraft.raft;

import io.stepraft.raft.pb.MessageType;

/** A response arrived from a node that is not in the configuration; it was ignored. */
public final class UnknownPeerException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for a message of {@code type} from {@code from}. */
  public UnknownPeerException(MessageType type, long from) {
    super("ignored " + type + " from unknown peer " + from, false);
  }
}

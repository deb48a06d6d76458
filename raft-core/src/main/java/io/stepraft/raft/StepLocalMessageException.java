package io.stepraft.raft;

import io.stepraft.raft.pb.MessageType;

/**
 * A message type that only the node itself may create (MsgHup, MsgBeat, MsgCheckQuorum, the storage
 * messages...) was passed to {@link RawNode#step} as if it came from the network.
 */
public final class StepLocalMessageException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for a message of {@code type}. */
  public StepLocalMessageException(MessageType type) {
    super("cannot step a local message from the network: " + type);
  }
}

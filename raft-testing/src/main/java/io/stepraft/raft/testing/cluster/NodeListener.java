package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.RaftListener;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import java.util.function.LongConsumer;

/** Passes raft's events to the user's listener, and dropped reads to the node for a retry. */
final class NodeListener implements RaftListener {
  private final RaftListener user;
  private final LongConsumer readDropped;

  NodeListener(RaftListener user, LongConsumer readDropped) {
    this.user = user;
    this.readDropped = readDropped;
  }

  @Override
  public void roleChanged(long nodeId, Role role, long term, long lead) {
    user.roleChanged(nodeId, role, term, lead);
  }

  @Override
  public void messageStepped(long nodeId, Message message) {
    user.messageStepped(nodeId, message);
  }

  @Override
  public void messageSent(long nodeId, Message message) {
    user.messageSent(nodeId, message);
  }

  @Override
  public void configChanged(long nodeId, ConfState config) {
    user.configChanged(nodeId, config);
  }

  @Override
  public void readIndexDropped(long nodeId, byte[] requestContext) {
    user.readIndexDropped(nodeId, requestContext);
    readDropped.accept(Envelope.id(requestContext));
  }
}

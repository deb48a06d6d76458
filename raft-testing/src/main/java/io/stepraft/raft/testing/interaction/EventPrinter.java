package io.stepraft.raft.testing.interaction;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Describe;
import io.stepraft.raft.RaftListener;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;

/**
 * Prints a node's state transitions into the script's output as {@code INFO} lines, where they
 * happen (inside a tick, a step, a configuration change), while the log level is {@code info}; and
 * counts the node's election timeouts for {@code tick-election}.
 */
final class EventPrinter implements RaftListener {
  private final Output out;
  private final LogLevel level;
  private long campaigns;

  /** Whether transitions are printed: shared by all nodes, set by {@code log-level}. */
  static final class LogLevel {
    boolean info = true;
  }

  EventPrinter(Output out, LogLevel level) {
    this.out = out;
    this.level = level;
  }

  /** How many times the node started (or tried to start) an election. */
  long campaigns() {
    return campaigns;
  }

  @Override
  public void roleChanged(long nodeId, Role role, long term, long lead) {
    print(Describe.nodeId(nodeId) + " became " + role + " at term " + term);
  }

  @Override
  public void configChanged(long nodeId, ConfState config) {
    print(Describe.nodeId(nodeId) + " switched to configuration " + Describe.confState(config));
  }

  @Override
  public void readIndexDropped(long nodeId, byte[] requestContext) {
    print(
        Describe.nodeId(nodeId)
            + " dropped the pending read "
            + Describe.bytes(ByteString.copyFrom(requestContext)));
  }

  @Override
  public void messageStepped(long nodeId, Message message) {
    if (message.getType() == MessageType.MsgHup) {
      campaigns++;
    }
  }

  private void print(String event) {
    if (level.info) {
      out.line("INFO " + event);
    }
  }
}

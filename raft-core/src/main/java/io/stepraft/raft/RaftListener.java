package io.stepraft.raft;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;

/**
 * Observes a node's state transitions and messages, for tests, tracing and metrics. Every method
 * has an empty default; implement the ones you need. Calls happen on the thread that drives the
 * {@link RawNode}, inside its calls: they must be fast and must not call back into the node. A node
 * built without a listener uses {@link #NONE}, whose empty methods the JIT removes.
 */
public interface RaftListener {
  /** The listener that ignores everything. */
  RaftListener NONE = new RaftListener() {};

  /**
   * The node changed role or term.
   *
   * @param nodeId the node
   * @param role its new role
   * @param term its term
   * @param lead the leader it knows, or {@code 0}
   */
  default void roleChanged(long nodeId, Role role, long term, long lead) {}

  /**
   * The node is about to handle a message (from the network, the host or itself). With synchronous
   * storage writes, the acknowledgements of a Ready's writes are taken at {@link RawNode#advance}
   * without a message and do not show here.
   *
   * @param nodeId the node
   * @param message the message
   */
  default void messageStepped(long nodeId, Message message) {}

  /**
   * The node queued a message for sending; it leaves with a {@link Ready}.
   *
   * @param nodeId the node
   * @param message the message
   */
  default void messageSent(long nodeId, Message message) {}

  /**
   * The node switched to a new configuration (an applied change or a restored snapshot).
   *
   * @param nodeId the node
   * @param config the new configuration
   */
  default void configChanged(long nodeId, ConfState config) {}

  /**
   * A read requested on this node with {@link RawNode#readIndex} will never be answered: the node
   * stopped leading (or lost its leader) before a quorum confirmed it. Retry it.
   *
   * @param nodeId the node
   * @param requestContext the context passed to {@code readIndex}
   */
  default void readIndexDropped(long nodeId, byte[] requestContext) {}
}

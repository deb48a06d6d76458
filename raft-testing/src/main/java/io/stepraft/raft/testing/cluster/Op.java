package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.testing.cluster.RequestFailedException.Reason;
import java.util.concurrent.CompletableFuture;

/**
 * A request handed to a node's thread, with the future its caller holds. Created by any thread;
 * after the handover only the node's thread touches the mutable fields.
 *
 * @param <T> what the request completes with
 */
abstract class Op<T> {
  final long id;
  final long nodeId;
  final long deadlineNanos;
  final CompletableFuture<T> future = new CompletableFuture<>();

  Op(long id, long nodeId, long deadlineNanos) {
    this.id = id;
    this.nodeId = nodeId;
    this.deadlineNanos = deadlineNanos;
  }

  final boolean done() {
    return future.isDone();
  }

  final void complete(T value) {
    future.complete(value);
  }

  final void fail(Reason reason, String why, Throwable cause) {
    future.completeExceptionally(
        new RequestFailedException(reason, describe() + " on node " + nodeId + ": " + why, cause));
  }

  abstract String describe();

  /** A request that becomes a log entry; {@code index} is where this node saw it appended. */
  abstract static class Logged<T> extends Op<T> {
    long index;

    Logged(long id, long nodeId, long deadlineNanos) {
      super(id, nodeId, deadlineNanos);
    }

    /** Completes the request with what applying its entry produced. */
    abstract void applied(ByteString output, ConfState conf);
  }

  static final class Propose extends Logged<ByteString> {
    final ByteString command;

    Propose(long id, long nodeId, long deadlineNanos, ByteString command) {
      super(id, nodeId, deadlineNanos);
      this.command = command;
    }

    @Override
    void applied(ByteString output, ConfState conf) {
      complete(output);
    }

    @Override
    String describe() {
      return "proposal " + id + (index == 0 ? "" : " (index " + index + ")");
    }
  }

  static final class ConfChange extends Logged<ConfState> {
    final ConfChangeType type;
    final long target;

    ConfChange(long id, long nodeId, long deadlineNanos, ConfChangeType type, long target) {
      super(id, nodeId, deadlineNanos);
      this.type = type;
      this.target = target;
    }

    @Override
    void applied(ByteString output, ConfState conf) {
      complete(conf);
    }

    @Override
    String describe() {
      return type + " of node " + target + " (request " + id + ")";
    }
  }

  static final class Read extends Op<ByteString> {
    final ByteString query;

    /** The context of the latest readIndex call, or {@link Envelope#NONE} between attempts. */
    long context;

    /** The confirmed read index, or -1 while unconfirmed. */
    long readIndex = -1;

    long retryAtNanos;

    Read(long id, long nodeId, long deadlineNanos, ByteString query) {
      super(id, nodeId, deadlineNanos);
      this.query = query;
    }

    @Override
    String describe() {
      return "read " + id + (readIndex < 0 ? "" : " (read index " + readIndex + ")");
    }
  }

  /** Waits for {@code nodeId} to lead, asking for the transfer again now and then. */
  static final class Transfer extends Op<Void> {
    long retryAtNanos;

    Transfer(long id, long nodeId, long deadlineNanos) {
      super(id, nodeId, deadlineNanos);
    }

    @Override
    String describe() {
      return "leadership transfer " + id;
    }
  }

  static final class Status extends Op<NodeStatus> {
    Status(long id, long nodeId, long deadlineNanos) {
      super(id, nodeId, deadlineNanos);
    }

    @Override
    String describe() {
      return "status request";
    }
  }

  /** The transport's outcome of a MsgSnap that {@code nodeId} sent to {@code peer}. */
  static final class SnapshotReport extends Op<Void> {
    final long peer;
    final SnapshotStatus status;

    SnapshotReport(long nodeId, long peer, SnapshotStatus status) {
      super(Envelope.NONE, nodeId, Long.MAX_VALUE);
      this.peer = peer;
      this.status = status;
    }

    @Override
    String describe() {
      return "snapshot report " + status + " for node " + peer;
    }
  }
}

package io.stepraft.raft.reads;

import com.google.protobuf.ByteString;
import io.stepraft.raft.RaftListener;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the ReadIndex scenario tests. */
final class Reads {
  private Reads() {}

  /** A request context from a string. */
  static byte[] ctx(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The read state a node is expected to receive. */
  static ReadState readState(long index, String ctx) {
    return new ReadState(index, ctx(ctx));
  }

  /**
   * The heartbeats of the read round that confirms the leader's {@code position}-th read: the
   * leader numbers its reads 1, 2, 3, ... and a round carries the number of the newest read queued
   * when it was sent (eight bytes, big-endian), never the host's context.
   */
  static List<Message> heartbeatsWith(List<Message> msgs, long position) {
    ByteString context =
        ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, position).array());
    List<Message> out = new ArrayList<>();
    for (Message m : Messages.ofType(msgs, MessageType.MsgHeartbeat)) {
      if (m.getContext().equals(context)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Records the contexts of the reads a listener is told were dropped, per node. */
  static final class DroppedReads implements RaftListener {
    final List<String> dropped = new ArrayList<>();

    @Override
    public void readIndexDropped(long nodeId, byte[] requestContext) {
      dropped.add(nodeId + ":" + new String(requestContext, StandardCharsets.UTF_8));
    }
  }
}

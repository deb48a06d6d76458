package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's queue of read-only requests waiting for a quorum to confirm its leadership
 * (ReadIndex, safe mode). Requests are keyed by their context, which the heartbeat round
 * carries; an acknowledged context confirms every request queued before it too.
 */
final class ReadOnly {
  /** A queued request: the commit index it was recorded at and who acknowledged it. */
  record ReadIndexStatus(Message request, long index, Map<Long, Boolean> acks) {}

  private final ReadOnlyOption option;
  private final Map<ByteString, ReadIndexStatus> pending = new HashMap<>();
  private final ArrayDeque<ByteString> queue = new ArrayDeque<>();

  ReadOnly(ReadOnlyOption option) {
    this.option = option;
  }

  ReadOnlyOption option() {
    return option;
  }

  int pendingCount() {
    return queue.size();
  }

  /** Queues a request recorded at commit index {@code index}; a repeated context is ignored. */
  void addRequest(long index, Message m) {
    ByteString ctx = m.getEntries(0).getData();
    if (pending.containsKey(ctx)) {
      return;
    }
    pending.put(ctx, new ReadIndexStatus(m, index, new HashMap<>()));
    queue.addLast(ctx);
  }

  /** Records {@code id}'s acknowledgement of {@code ctx}; returns the acks so far (empty if unknown). */
  Map<Long, Boolean> recvAck(long id, ByteString ctx) {
    ReadIndexStatus rs = pending.get(ctx);
    if (rs == null) {
      return Map.of();
    }
    rs.acks().put(id, Boolean.TRUE);
    return rs.acks();
  }

  /**
   * Dequeues every request up to and including the one with context {@code ctx}, which a quorum
   * has confirmed; returns them in order, or nothing if {@code ctx} is not queued.
   */
  List<ReadIndexStatus> advance(ByteString ctx) {
    if (!pending.containsKey(ctx)) {
      return List.of();
    }
    List<ReadIndexStatus> done = new ArrayList<>();
    while (!queue.isEmpty()) {
      ByteString head = queue.pollFirst();
      ReadIndexStatus rs = pending.remove(head);
      if (rs == null) {
        throw new IllegalStateException("read index queue holds context " + head + " without a pending request");
      }
      done.add(rs);
      if (head.equals(ctx)) {
        break;
      }
    }
    return done;
  }

  /** The queued requests, oldest first. */
  List<Message> pendingRequests() {
    List<Message> out = new ArrayList<>(queue.size());
    for (ByteString ctx : queue) {
      out.add(pending.get(ctx).request());
    }
    return out;
  }

  /** The context of the newest queued request, or null if none; heartbeats carry it. */
  ByteString lastPendingRequestCtx() {
    return queue.peekLast();
  }
}

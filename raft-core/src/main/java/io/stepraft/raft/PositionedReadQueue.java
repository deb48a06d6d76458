package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.quorum.JointConfig;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The production {@link ReadQueue}: every read gets a position that the leader assigns, one higher
 * than the last, and a heartbeat carries the highest position queued when it was sent (eight bytes,
 * big-endian, in {@code Message.context}, which followers echo unchanged). Each voter's
 * acknowledgements raise the highest position it echoed; the reads up to the highest position that
 * a quorum echoed are confirmed.
 *
 * <p>So an acknowledgement only ever confirms reads that were queued before the heartbeat it
 * answers was sent, however late, duplicated or reordered it arrives. The host's context only names
 * the answer: a context used twice is two reads, each answered once.
 *
 * <p>Positions only grow over the node's life, across terms; acknowledgements are forgotten when
 * the queue is cleared (the leader's term ended; answers from earlier terms never reach the queue,
 * they are dropped by the term check).
 */
final class PositionedReadQueue implements ReadQueue {
  private static final int POSITION_BYTES = Long.BYTES;

  private record Pending(Read read, long position) {}

  // Invariant: positions in the queue are increasing, the last one is lastPosition.
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /** The highest position each node echoed in this term. */
  private final Map<Long, Long> echoed = new HashMap<>();

  /** The highest position ever assigned. */
  private long lastPosition;

  @Override
  public ByteString add(Message request, long index) {
    lastPosition++;
    queue.addLast(new Pending(new Read(request, index), lastPosition));
    return encode(lastPosition);
  }

  @Override
  public ByteString heartbeatContext() {
    return queue.isEmpty() ? null : encode(lastPosition);
  }

  @Override
  public List<Read> acknowledge(long voter, ByteString context, JointConfig voters) {
    long position = decode(context);
    if (position <= 0 || position > lastPosition) {
      return List.of(); // not a context this leader sent
    }
    echoed.merge(voter, position, Math::max);
    long confirmed = voters.committedIndex(id -> echoed.getOrDefault(id, 0L));
    List<Read> done = List.of();
    while (!queue.isEmpty() && queue.peekFirst().position() <= confirmed) {
      if (done.isEmpty()) {
        done = new ArrayList<>();
      }
      done.add(queue.pollFirst().read());
    }
    return done;
  }

  @Override
  public int size() {
    return queue.size();
  }

  @Override
  public List<Message> clear() {
    List<Message> requests = new ArrayList<>(queue.size());
    for (Pending p : queue) {
      requests.add(p.read().request());
    }
    queue.clear();
    echoed.clear();
    return requests;
  }

  private static ByteString encode(long position) {
    return ByteString.copyFrom(ByteBuffer.allocate(POSITION_BYTES).putLong(0, position).array());
  }

  /** The position a context names, or 0 if it is not a position. */
  private static long decode(ByteString context) {
    if (context.size() != POSITION_BYTES) {
      return 0;
    }
    return context.asReadOnlyByteBuffer().getLong();
  }
}

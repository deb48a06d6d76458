package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction between two nodes: its faults, and the messages in flight on it, in order. The
 * sender's threads (its node thread and, with asynchronous writes, its storage thread) add, the
 * receiver's thread takes, through a bounded lock-free queue. It delivers in order: only the head
 * is ever taken, so a delayed message holds back the messages behind it, as a stream connection
 * would.
 */
final class Link {
  /**
   * A message on its way: its decoded form, or its encoding when the network serializes.
   *
   * @param dueNanos when it may be delivered
   * @param snapshot whether it is a MsgSnap, whose outcome the sender must learn
   */
  record InFlight(long dueNanos, boolean snapshot, Message message, byte[] wire) {}

  final long from;
  final long to;
  volatile boolean cut;
  volatile double dropRate;
  volatile long delayNanos;

  private final BoundedQueue<InFlight> queue;

  Link(long from, long to, int max) {
    this.from = from;
    this.to = to;
    this.queue = new BoundedQueue<>(max);
  }

  /** Adds a message due after {@code delay}; false when the link already holds its maximum. */
  boolean offer(Message m, long now, long delay, boolean serialize) {
    boolean snapshot = m.getType() == MessageType.MsgSnap;
    Message decoded = serialize ? null : m;
    byte[] wire = serialize ? m.toByteArray() : null;
    return queue.offer(new InFlight(now + delay, snapshot, decoded, wire));
  }

  /** The next message if it is due at {@code now}, else null. Called by the receiver only. */
  InFlight pollDue(long now) {
    InFlight head = queue.peek();
    if (head == null || now - head.dueNanos() < 0) {
      return null;
    }
    return queue.poll();
  }

  /** When the next message is due; {@code fallback} when there is none. */
  long nextDueNanos(long fallback) {
    InFlight head = queue.peek();
    return head == null ? fallback : head.dueNanos();
  }

  /** Empties the link (its receiver stopped); returns what it held. */
  List<InFlight> clear() {
    List<InFlight> dropped = new ArrayList<>();
    for (InFlight f = queue.poll(); f != null; f = queue.poll()) {
      dropped.add(f);
    }
    return dropped;
  }
}

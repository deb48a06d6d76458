package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction between two nodes: its faults, and the messages in flight on it, in order. The
 * sender's thread adds, the receiver's thread takes; the queue is bounded and delivers in order (a
 * delay holds back the messages behind it, as a stream connection would).
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

  private final int max;
  private final ArrayDeque<InFlight> queue = new ArrayDeque<>();
  private long lastDueNanos = Long.MIN_VALUE;

  Link(long from, long to, int max) {
    this.from = from;
    this.to = to;
    this.max = max;
  }

  /** Adds a message due after {@code delay}; false when the link already holds its maximum. */
  boolean offer(Message m, long now, long delay, boolean serialize) {
    boolean snapshot = m.getType() == MessageType.MsgSnap;
    Message decoded = serialize ? null : m;
    byte[] wire = serialize ? m.toByteArray() : null;
    synchronized (this) {
      if (queue.size() >= max) {
        return false;
      }
      long due = now + delay;
      if (lastDueNanos != Long.MIN_VALUE && due - lastDueNanos < 0) {
        due = lastDueNanos; // never overtake a message sent earlier
      }
      lastDueNanos = due;
      queue.add(new InFlight(due, snapshot, decoded, wire));
      return true;
    }
  }

  /** The next message if it is due at {@code now}, else null. */
  synchronized InFlight pollDue(long now) {
    InFlight head = queue.peek();
    if (head == null || now - head.dueNanos() < 0) {
      return null;
    }
    return queue.poll();
  }

  /** When the next message is due; {@code fallback} when there is none. */
  synchronized long nextDueNanos(long fallback) {
    InFlight head = queue.peek();
    return head == null ? fallback : head.dueNanos();
  }

  /** Empties the link; returns what it held. */
  synchronized List<InFlight> clear() {
    List<InFlight> dropped = new ArrayList<>(queue);
    queue.clear();
    return dropped;
  }
}

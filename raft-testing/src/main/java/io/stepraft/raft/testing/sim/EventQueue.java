package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.Message;
import java.util.Comparator;
import java.util.PriorityQueue;

/** The pending events, ordered by time and then by scheduling order. */
final class EventQueue {
  /** The most events pending at once; more means a runaway feedback loop. */
  static final int PENDING_MAX = 500_000;

  private final PriorityQueue<Event> queue =
      new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
  private long seq;

  void schedule(
      long time, Event.Kind kind, long node, int epoch, long arg, boolean ok, Message msg) {
    if (queue.size() >= PENDING_MAX) {
      throw new IllegalStateException(
          "event queue overflow: " + queue.size() + " pending at time " + time);
    }
    queue.add(new Event(time, seq++, kind, node, epoch, arg, ok, msg));
  }

  /** The time of the next event, or {@link Long#MAX_VALUE} if none. */
  long nextTime() {
    Event e = queue.peek();
    return e == null ? Long.MAX_VALUE : e.time();
  }

  Event poll() {
    return queue.poll();
  }

  int size() {
    return queue.size();
  }
}

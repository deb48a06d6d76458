package io.stepraft.raft.testing.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The in-memory network between the nodes of a {@link LocalCluster}, and its faults. Each direction
 * between two nodes is a bounded, ordered queue. Faults apply from the moment they are set, to
 * messages in flight as well (a cut link delivers nothing more), and stay across node crashes:
 *
 * <ul>
 *   <li>{@link #isolate}, {@link #cut}, {@link #cutBothWays}: partitions; messages vanish silently;
 *   <li>{@link #dropRate}: each message is lost with a probability;
 *   <li>{@link #delay}: each message is held back, in order;
 *   <li>{@link #heal()}: removes every fault.
 * </ul>
 *
 * <p>A message to a node that is not running, or to a link that holds its maximum, is dropped and
 * the sender's raft is told with {@code reportUnreachable}. A snapshot (MsgSnap) is reported to the
 * sender's raft with {@code reportSnapshot}: FINISH when delivered, FAILURE when dropped. With
 * {@link LocalCluster.Builder#serializeMessages} every message travels as its protobuf encoding.
 *
 * <p>Thread-safe.
 */
public final class Network {
  /** How a send ended, for the sender's raft. */
  enum Outcome {
    SENT,
    /** Lost to a fault, silently: raft learns of it by the missing answer. */
    DROPPED,
    /** The transport knows it could not deliver: report it unreachable. */
    UNREACHABLE
  }

  /**
   * A link's key. equals and hashCode are written out: a record's generated ones go through a
   * method handle, which showed as 12% of a node thread's time on the send path under load.
   */
  private record LinkId(long from, long to) {
    @Override
    public boolean equals(Object o) {
      return o instanceof LinkId other && other.from == from && other.to == to;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(from) * 31 + Long.hashCode(to);
    }
  }

  private final Map<LinkId, Link> links = new ConcurrentHashMap<>();
  private final Map<Long, List<Link>> inbound = new ConcurrentHashMap<>();
  private final Set<Long> isolated = ConcurrentHashMap.newKeySet();
  private final Map<Long, ClusterNode> running;
  private final boolean serialize;
  private final int linkQueueMax;
  private final Consumer<Throwable> wireErrors;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile double dropRateAll;
  private volatile long delayAllNanos;

  Network(
      Map<Long, ClusterNode> running,
      boolean serialize,
      int linkQueueMax,
      Consumer<Throwable> wireErrors) {
    this.running = running;
    this.serialize = serialize;
    this.linkQueueMax = linkQueueMax;
    this.wireErrors = wireErrors;
  }

  /**
   * Cuts every link to and from {@code nodeId}, including links to nodes added later.
   *
   * @param nodeId the node to isolate
   */
  public void isolate(long nodeId) {
    isolated.add(nodeId);
  }

  /**
   * Cuts the link from {@code from} to {@code to}; the other direction still works.
   *
   * @param from the sender
   * @param to the receiver
   */
  public void cut(long from, long to) {
    link(from, to).cut = true;
  }

  /**
   * Cuts both directions between {@code a} and {@code b}.
   *
   * @param a one node
   * @param b the other
   */
  public void cutBothWays(long a, long b) {
    cut(a, b);
    cut(b, a);
  }

  /**
   * Sets the probability that a message on any link is lost (combined with a link's own rate).
   *
   * @param probability from 0 (none) to 1 (all)
   */
  public void dropRate(double probability) {
    dropRateAll = checkProbability(probability);
  }

  /**
   * Sets the probability that a message from {@code from} to {@code to} is lost.
   *
   * @param from the sender
   * @param to the receiver
   * @param probability from 0 (none) to 1 (all)
   */
  public void dropRate(long from, long to, double probability) {
    link(from, to).dropRate = checkProbability(probability);
  }

  /**
   * Holds back every message on every link by {@code delay} (added to a link's own delay).
   *
   * @param delay the extra latency
   */
  public void delay(Duration delay) {
    delayAllNanos = delay.toNanos();
  }

  /**
   * Holds back every message from {@code from} to {@code to} by {@code delay}.
   *
   * @param from the sender
   * @param to the receiver
   * @param delay the extra latency
   */
  public void delay(long from, long to, Duration delay) {
    link(from, to).delayNanos = delay.toNanos();
  }

  /** Removes every fault: cuts, isolations, drop rates and delays. */
  public void heal() {
    isolated.clear();
    dropRateAll = 0;
    delayAllNanos = 0;
    for (Link l : links.values()) {
      l.cut = false;
      l.dropRate = 0;
      l.delayNanos = 0;
    }
  }

  /** Messages delivered so far. */
  public long delivered() {
    return delivered.sum();
  }

  /** Messages lost so far, to faults, full links and stopped nodes. */
  public long dropped() {
    return dropped.sum();
  }

  /**
   * Puts {@code m} on its way from {@code from}; called on the sender's threads. The receiver is
   * not woken: the sender calls {@link #wake} once for all it sent it in one batch.
   */
  Outcome send(long from, Message m, long now) {
    long to = m.getTo();
    ClusterNode receiver = running.get(to);
    if (receiver == null) {
      dropped.increment();
      return Outcome.UNREACHABLE;
    }
    Link l = link(from, to);
    if (blocked(l) || lost(l)) {
      dropped.increment();
      return Outcome.DROPPED;
    }
    if (!l.offer(m, now, delayAllNanos + l.delayNanos, serialize)) {
      dropped.increment();
      return Outcome.UNREACHABLE;
    }
    return Outcome.SENT;
  }

  /** Wakes node {@code to} if it runs, for the messages just sent to it. */
  void wake(long to) {
    ClusterNode receiver = running.get(to);
    if (receiver != null) {
      receiver.wake();
    }
  }

  /** Takes the messages due for {@code to} at {@code now}, at most {@code max} per link. */
  void receive(long to, long now, int max, List<Message> into) {
    for (Link l : inbound(to)) {
      for (int i = 0; i < max; i++) {
        Link.InFlight f = l.pollDue(now);
        if (f == null) {
          break;
        }
        Message m = deliver(l, f);
        if (m != null) {
          into.add(m);
        }
      }
    }
  }

  /** When the next message for {@code to} is due; {@code fallback} when none is in flight. */
  long nextDueNanos(long to, long fallback) {
    long next = fallback;
    for (Link l : inbound(to)) {
      long due = l.nextDueNanos(fallback);
      if (due - next < 0) {
        next = due;
      }
    }
    return next;
  }

  /** Drops what is in flight to a node that crashed. */
  void discardInbound(long to) {
    for (Link l : inbound(to)) {
      for (Link.InFlight f : l.clear()) {
        dropped.increment();
        if (f.snapshot()) {
          report(l, SnapshotStatus.FAILURE);
        }
      }
    }
  }

  private Message deliver(Link l, Link.InFlight f) {
    if (blocked(l)) {
      dropped.increment();
      if (f.snapshot()) {
        report(l, SnapshotStatus.FAILURE);
      }
      return null;
    }
    Message m = f.message();
    if (m == null) {
      try {
        m = Message.parseFrom(f.wire());
      } catch (InvalidProtocolBufferException e) {
        dropped.increment();
        wireErrors.accept(
            new IllegalStateException(
                "node " + l.to + " cannot decode a message from " + l.from, e));
        return null;
      }
    }
    delivered.increment();
    if (f.snapshot()) {
      report(l, SnapshotStatus.FINISH);
    }
    return m;
  }

  private void report(Link l, SnapshotStatus status) {
    ClusterNode sender = running.get(l.from);
    if (sender != null) {
      sender.reportSnapshot(l.to, status);
    }
  }

  private boolean blocked(Link l) {
    // isolated.isEmpty() first: the common case, without boxing two ids for two lookups.
    return l.cut || (!isolated.isEmpty() && (isolated.contains(l.from) || isolated.contains(l.to)));
  }

  private boolean lost(Link l) {
    double keep = (1 - dropRateAll) * (1 - l.dropRate);
    return keep < 1 && ThreadLocalRandom.current().nextDouble() >= keep;
  }

  private Link link(long from, long to) {
    LinkId id = new LinkId(from, to);
    Link known = links.get(id); // the common case, without computeIfAbsent's locking
    if (known != null) {
      return known;
    }
    return links.computeIfAbsent(
        id,
        k -> {
          Link l = new Link(from, to, linkQueueMax);
          inbound(to).add(l);
          return l;
        });
  }

  private List<Link> inbound(long to) {
    List<Link> known = inbound.get(to);
    return known != null ? known : inbound.computeIfAbsent(to, id -> new CopyOnWriteArrayList<>());
  }

  private static double checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability is between 0 and 1, was " + p);
    }
    return p;
  }
}

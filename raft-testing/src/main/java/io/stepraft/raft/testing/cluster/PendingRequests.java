package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.testing.cluster.RequestFailedException.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The requests a node has started and not yet answered, and the rules that answer them. Owned by
 * the node's thread; makes no call into raft.
 *
 * <p>A write succeeds only on the entry this node saw appended for it, at that entry's index: an
 * entry carrying the same request id at another index (one re-applied from storage after a restart,
 * say) proves nothing. Invariant: every request in {@link #inLog} has an index above the applied
 * index, so each is answered when its index is applied or skipped by a snapshot.
 */
final class PendingRequests {
  private final int max;

  /** Every open request by id, oldest first: all share one timeout, so also earliest deadline. */
  private final LinkedHashMap<Long, Op<?>> open = new LinkedHashMap<>();

  private final PriorityQueue<Op.Logged<?>> inLog =
      new PriorityQueue<>(Comparator.comparingLong((Op.Logged<?> op) -> op.index));
  private final Map<Long, Op.Read> readsByContext = new HashMap<>();
  private final PriorityQueue<Op.Read> confirmedReads =
      new PriorityQueue<>(Comparator.comparingLong((Op.Read r) -> r.readIndex));

  PendingRequests(int max) {
    this.max = max;
  }

  boolean hasRoom() {
    return open.size() < max;
  }

  /** Whether {@code more} requests can be added besides those open. */
  boolean hasRoomFor(int more) {
    return open.size() + more <= max;
  }

  void add(Op<?> op) {
    open.put(op.id, op);
  }

  /** Notes where this node's own writes landed among entries about to be persisted. */
  void onAppended(List<Entry> entries) {
    if (open.isEmpty()) {
      return;
    }
    for (Entry e : entries) {
      long id = Envelope.requestId(e);
      if (id != Envelope.NONE && open.get(id) instanceof Op.Logged<?> op && op.index == 0) {
        op.index = e.getIndex();
        inLog.add(op);
      }
    }
  }

  /**
   * Resolves the writes placed at {@code index}, now applied with the entry of request {@code
   * requestId}: the one that matches is removed and returned for the caller to complete; any other
   * is lost.
   */
  Op.Logged<?> onApplied(long index, long requestId) {
    Op.Logged<?> match = null;
    while (!inLog.isEmpty() && inLog.peek().index <= index) {
      Op.Logged<?> op = inLog.poll();
      if (op.done()) {
        continue;
      }
      open.remove(op.id);
      if (op.index == index && op.id == requestId) {
        match = op;
      } else {
        op.fail(Reason.LOST, "index " + op.index + " was committed with another entry", null);
      }
    }
    return match;
  }

  /** A snapshot replaced the log up to {@code index}: writes placed there have unknown outcomes. */
  void onSnapshot(long index) {
    while (!inLog.isEmpty() && inLog.peek().index <= index) {
      Op.Logged<?> op = inLog.poll();
      open.remove(op.id);
      op.fail(Reason.ABANDONED, "a snapshot at index " + index + " replaced its entry", null);
    }
  }

  void readIssued(Op.Read r, long context) {
    r.context = context;
    readsByContext.put(context, r);
  }

  /** Raft answered the read with {@code context}; it can be served once {@code index} applies. */
  void onReadState(long context, long index) {
    Op.Read r = readsByContext.remove(context);
    if (r != null && !r.done()) {
      r.context = Envelope.NONE;
      r.readIndex = index;
      confirmedReads.add(r);
    }
  }

  /** Raft will never answer the read with {@code context}: ask again at the next retry check. */
  void onReadDropped(long context, long now) {
    Op.Read r = readsByContext.remove(context);
    if (r != null) {
      r.context = Envelope.NONE;
      r.retryAtNanos = now;
    }
  }

  /** Removes and returns the confirmed reads whose index is applied, in index order. */
  List<Op.Read> readsToServe(long applied) {
    List<Op.Read> serve = new ArrayList<>();
    while (!confirmedReads.isEmpty() && confirmedReads.peek().readIndex <= applied) {
      Op.Read r = confirmedReads.poll();
      if (open.remove(r.id) != null) {
        serve.add(r);
      }
    }
    return serve;
  }

  /** Unconfirmed reads and unfinished transfers whose retry time has come. */
  List<Op<?>> retriesDue(long now) {
    List<Op<?>> due = new ArrayList<>();
    for (Op<?> op : open.values()) {
      if (op instanceof Op.Read r && r.readIndex < 0 && now - r.retryAtNanos >= 0) {
        if (r.context != Envelope.NONE) {
          readsByContext.remove(r.context);
        }
        due.add(r);
      } else if (op instanceof Op.Transfer t && now - t.retryAtNanos >= 0) {
        due.add(t);
      }
    }
    return due;
  }

  /** This node became leader: the transfers waiting for that are done. */
  void onLeader() {
    for (Iterator<Op<?>> it = open.values().iterator(); it.hasNext(); ) {
      if (it.next() instanceof Op.Transfer t) {
        it.remove();
        t.complete(null);
      }
    }
  }

  /** Fails every request whose deadline has passed. */
  void expire(long now) {
    for (Iterator<Op<?>> it = open.values().iterator(); it.hasNext(); ) {
      Op<?> op = it.next();
      if (now - op.deadlineNanos < 0) {
        return;
      }
      it.remove();
      if (op instanceof Op.Read r) {
        readsByContext.remove(r.context);
        confirmedReads.remove(r);
      }
      op.fail(Reason.TIMED_OUT, "no outcome within the request timeout", null);
    }
  }

  /** Fails every open request: the node is stopping. */
  void failAll(String why) {
    for (Op<?> op : open.values()) {
      op.fail(Reason.ABANDONED, why, null);
    }
    open.clear();
    inLog.clear();
    readsByContext.clear();
    confirmedReads.clear();
  }
}

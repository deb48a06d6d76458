package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Client requests waiting for raft, by request id: writes and membership changes until their entry
 * is applied here, reads until their read index is confirmed and applied, transfers until the new
 * leader is known. Each has a deadline in ticks; past it the client gets 503 (a write's outcome is
 * then unknown). Touched only by the raft thread. Bounded: {@link
 * NodeSettings#PENDING_REQUESTS_MAX}.
 */
final class Requests {
  private record Write(CompletableFuture<KvStateMachine.Outcome> future, long deadlineTick) {}

  private static final class Read {
    final String key;
    final CompletableFuture<Optional<ByteString>> future;
    final long deadlineTick;
    long index = -1; // known once the ReadState arrives

    Read(String key, CompletableFuture<Optional<ByteString>> future, long deadlineTick) {
      this.key = key;
      this.future = future;
      this.deadlineTick = deadlineTick;
    }
  }

  private record Transfer(long target, CompletableFuture<Long> future, long deadlineTick) {}

  private final Map<Long, Write> writes = new HashMap<>();
  private final Map<Long, Read> reads = new HashMap<>();
  private final List<Transfer> transfers = new ArrayList<>();

  int size() {
    return writes.size() + reads.size() + transfers.size();
  }

  boolean full() {
    return size() >= NodeSettings.PENDING_REQUESTS_MAX;
  }

  void addWrite(long requestId, CompletableFuture<KvStateMachine.Outcome> f, long deadlineTick) {
    writes.put(requestId, new Write(f, deadlineTick));
  }

  /** Completes the write with this id, if it was proposed here. */
  void completeWrite(long requestId, KvStateMachine.Outcome outcome) {
    Write w = writes.remove(requestId);
    if (w != null) {
      w.future.complete(outcome);
    }
  }

  void failWrite(long requestId, RuntimeException e) {
    Write w = writes.remove(requestId);
    if (w != null) {
      w.future.completeExceptionally(e);
    }
  }

  void addRead(long requestId, String key, CompletableFuture<Optional<ByteString>> f, long tick) {
    reads.put(requestId, new Read(key, f, tick));
  }

  /** A ReadState arrived: the read may be served once {@code index} is applied. */
  void readConfirmed(byte[] context, long index) {
    Read r = reads.get(idOf(context));
    if (r != null) {
      r.index = index;
    }
  }

  void readDropped(byte[] context, String why) {
    Read r = reads.remove(idOf(context));
    if (r != null) {
      r.future.completeExceptionally(KvException.unavailable(why));
    }
  }

  /** Serves every confirmed read whose index is applied. */
  void serveReads(long applied, KvStateMachine sm) {
    if (reads.isEmpty()) {
      return;
    }
    for (Iterator<Read> it = reads.values().iterator(); it.hasNext(); ) {
      Read r = it.next();
      if (r.index >= 0 && r.index <= applied) {
        it.remove();
        r.future.complete(Optional.ofNullable(sm.get(r.key)));
      }
    }
  }

  void addTransfer(long target, CompletableFuture<Long> f, long deadlineTick) {
    transfers.add(new Transfer(target, f, deadlineTick));
  }

  /** The leader is now {@code lead}: transfers to it are done. */
  void leaderChanged(long lead) {
    for (Iterator<Transfer> it = transfers.iterator(); it.hasNext(); ) {
      Transfer t = it.next();
      if (t.target == lead) {
        it.remove();
        t.future.complete(lead);
      }
    }
  }

  /** Fails every request past its deadline. */
  void expire(long tick) {
    writes.values().removeIf(w -> expired(w.future, w.deadlineTick, tick, timedOutWrite()));
    reads.values().removeIf(r -> expired(r.future, r.deadlineTick, tick, timedOutRead()));
    transfers.removeIf(t -> expired(t.future, t.deadlineTick, tick, timedOutTransfer(t.target)));
  }

  /** Fails everything: the node is stopping. */
  void failAll(String why) {
    KvException e = KvException.unavailable(why);
    writes.values().forEach(w -> w.future.completeExceptionally(e));
    reads.values().forEach(r -> r.future.completeExceptionally(e));
    transfers.forEach(t -> t.future.completeExceptionally(e));
    writes.clear();
    reads.clear();
    transfers.clear();
  }

  private static boolean expired(
      CompletableFuture<?> f, long deadlineTick, long tick, KvException e) {
    if (tick < deadlineTick) {
      return false;
    }
    f.completeExceptionally(e);
    return true;
  }

  private static KvException timedOutWrite() {
    return KvException.unavailable(
        "request timed out before it was applied here; it may or may not take effect");
  }

  private static KvException timedOutRead() {
    return KvException.unavailable("read timed out: leadership could not be confirmed in time");
  }

  private static KvException timedOutTransfer(long target) {
    return KvException.unavailable("leadership did not move to " + target + " in time");
  }

  static byte[] contextOf(long requestId) {
    return ByteBuffer.allocate(8).putLong(requestId).array();
  }

  private static long idOf(byte[] context) {
    return context.length == 8 ? ByteBuffer.wrap(context).getLong() : 0;
  }
}

package io.stepraft.raft.sim;

import io.stepraft.raft.ReadState;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linearizable reads: a read started when the writes up to index {@code w} had completed (been
 * applied somewhere) must get a read index of at least {@code w}. Reads that never get an answer
 * (a lost message, a leader change) expire; clients would retry them.
 */
final class ReadChecker {
  private record Pending(long node, long minIndex, long startedAt) {}

  /** Reads older than this are forgotten, in microticks. */
  static final long EXPIRY_MICROS = 200L * World.TICK_MICROS;

  private final Checks checks;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private long completed;

  ReadChecker(Checks checks) {
    this.checks = checks;
  }

  void start(String ctx, long node, long minIndex, long now) {
    pending.put(ctx, new Pending(node, minIndex, now));
    expire(now);
  }

  void cancel(String ctx) {
    pending.remove(ctx);
  }

  /** {@code node} got a read state. */
  void onReadState(long node, ReadState rs) {
    String ctx = new String(rs.requestContext(), StandardCharsets.UTF_8);
    Pending p = pending.remove(ctx);
    if (p == null) {
      return; // expired, or a duplicate answer
    }
    completed++;
    if (rs.index() < p.minIndex) {
      checks.fail(Check.READ_INDEX, "read " + ctx + " on node " + node + " got read index " + rs.index()
          + " but index " + p.minIndex + " had been applied before it started");
    }
  }

  long completed() {
    return completed;
  }

  private void expire(long now) {
    Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Pending> e = it.next();
      if (now - e.getValue().startedAt < EXPIRY_MICROS) {
        return;
      }
      it.remove();
    }
  }
}

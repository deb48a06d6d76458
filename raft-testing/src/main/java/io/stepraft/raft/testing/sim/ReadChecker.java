package io.stepraft.raft.testing.sim;

import io.stepraft.raft.ReadState;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Linearizable reads: a read started when the writes up to index {@code w} had completed (been
 * applied somewhere) must get a read index of at least {@code w}. Every answer is checked, however
 * late it comes and however often: the first completes the read, later ones (a duplicated forwarded
 * read is answered once per copy) must be just as fresh. Reads that never get an answer (a lost
 * message, a leader change) stay open; clients would retry them.
 */
final class ReadChecker {
  private record Started(long node, long minIndex) {}

  private final Checks checks;

  /** Every read started in the run, by context; contexts are unique. */
  private final Map<String, Started> started = new HashMap<>();

  /** The contexts answered at least once. */
  private final Map<String, Long> answers = new HashMap<>();

  private long completed;

  ReadChecker(Checks checks) {
    this.checks = checks;
  }

  void start(String ctx, long node, long minIndex) {
    if (started.putIfAbsent(ctx, new Started(node, minIndex)) != null) {
      throw new IllegalStateException("read context " + ctx + " used twice");
    }
  }

  /** The read was refused before anything was sent: no answer can come. */
  void cancel(String ctx) {
    started.remove(ctx);
  }

  /** {@code node} got a read state. */
  void onReadState(long node, ReadState rs) {
    String ctx = new String(rs.requestContext(), StandardCharsets.UTF_8);
    Started s = started.get(ctx);
    if (s == null) {
      checks.fail(
          Check.READ_INDEX,
          "node " + node + " got an answer to read " + ctx + ", which nobody started");
      return;
    }
    if (answers.merge(ctx, 1L, Long::sum) == 1) {
      completed++;
    }
    if (rs.index() < s.minIndex()) {
      checks.fail(
          Check.READ_INDEX,
          "read "
              + ctx
              + " (started on node "
              + s.node()
              + ") got read index "
              + rs.index()
              + " on node "
              + node
              + " but index "
              + s.minIndex()
              + " had been applied before it started");
    }
  }

  long completed() {
    return completed;
  }
}

package io.stepraft.raft.testing.sim;

import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.Message;
import java.io.PrintStream;

/**
 * The recent events of a run, kept in a ring and formatted only when a failure is reported (or at
 * once in verbose mode), plus a fingerprint of every event for determinism checks.
 */
final class Trace {
  private record Item(long time, String what, long node, Object detail) {}

  private final Item[] ring;
  private final boolean verbose;
  private final PrintStream out;
  private long count;
  private long fingerprint;

  Trace(int depth, boolean verbose, PrintStream out) {
    this.ring = new Item[Math.max(1, depth)];
    this.verbose = verbose;
    this.out = out;
  }

  void add(long time, String what, long node, Object detail) {
    fingerprint =
        Digests.mix(
            fingerprint * 31 + time * 7 + what.hashCode() * 131L + node + detailPrint(detail));
    Item it = new Item(time, what, node, detail);
    ring[(int) (count++ % ring.length)] = it;
    if (verbose) {
      out.println(format(it));
    }
  }

  long fingerprint() {
    return fingerprint;
  }

  long count() {
    return count;
  }

  /** The recent events, oldest first, one per line. */
  String tail() {
    StringBuilder sb = new StringBuilder();
    long from = Math.max(0, count - ring.length);
    for (long i = from; i < count; i++) {
      sb.append("  ").append(format(ring[(int) (i % ring.length)])).append('\n');
    }
    return sb.toString();
  }

  private static long detailPrint(Object d) {
    if (d instanceof Message m) {
      return m.getType().getNumber() * 1_000_003L
          + m.getFrom() * 10_007
          + m.getTo() * 101
          + m.getTerm() * 13
          + m.getIndex() * 7
          + m.getEntriesCount()
          + m.getCommit() * 3
          + (m.getReject() ? 1 : 0);
    }
    if (d instanceof Ready rd) {
      return rd.entries().size() * 31L
          + rd.committedEntries().size() * 17L
          + rd.messages().size()
          + rd.hardState().getCommit() * 5
          + rd.hardState().getTerm() * 11;
    }
    if (d instanceof Long l) {
      return l;
    }
    return d == null ? 0 : d.toString().hashCode();
  }

  private static String format(Item it) {
    String t = String.format("t=%d.%02d", it.time / World.TICK_MICROS, it.time % World.TICK_MICROS);
    String detail = it.detail == null ? "" : " " + describe(it.detail).replace('\n', ' ').trim();
    return t + " n" + it.node + " " + it.what.replace('\n', ' ') + detail;
  }

  static String describe(Object d) {
    if (d instanceof Message m) {
      return describe(m);
    }
    return String.valueOf(d);
  }

  static String describe(Message m) {
    StringBuilder sb =
        new StringBuilder(m.getType().name())
            .append(' ')
            .append(m.getFrom())
            .append("->")
            .append(m.getTo())
            .append(" term=")
            .append(m.getTerm());
    if (m.getLogTerm() != 0 || m.getIndex() != 0) {
      sb.append(" logTerm=").append(m.getLogTerm()).append(" index=").append(m.getIndex());
    }
    if (m.getCommit() != 0) {
      sb.append(" commit=").append(m.getCommit());
    }
    if (m.getEntriesCount() > 0) {
      sb.append(" entries=[")
          .append(m.getEntries(0).getIndex())
          .append("..")
          .append(m.getEntries(m.getEntriesCount() - 1).getIndex())
          .append(']');
    }
    if (m.getReject()) {
      sb.append(" reject hint=").append(m.getRejectHint());
    }
    if (m.hasSnapshot() && m.getSnapshot().getMetadata().getIndex() > 0) {
      sb.append(" snapshot=").append(m.getSnapshot().getMetadata().getIndex());
    }
    return sb.toString();
  }
}

package io.stepraft.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comparison's Markdown: per storage, a table of every library's figures with ratios to the
 * best peer, and a line on whether stepraft meets the goal (at least 2× the best peer's pipelined
 * throughput, at most ½ its p99 latency at one outstanding request).
 */
final class ClusterTables {
  private ClusterTables() {}

  static String write(List<ClusterFigures> all) {
    StringBuilder sb = new StringBuilder();
    for (String storage : List.of("memory", "durable")) {
      List<ClusterFigures> rows = all.stream().filter(f -> f.storage().equals(storage)).toList();
      if (rows.isEmpty()) {
        continue;
      }
      sb.append("### ")
          .append(storage.equals("memory") ? "In memory" : "Durable (fsync'd log)")
          .append("\n\n");
      sb.append(table(all, storage, rows)).append('\n');
      sb.append(goal(all, storage)).append("\n\n");
    }
    return sb.toString();
  }

  private static String table(List<ClusterFigures> all, String storage, List<ClusterFigures> rows) {
    Optional<ClusterFigures> bestOps = ClusterFigures.bestThroughputPeer(all, storage);
    Optional<ClusterFigures> bestP99 = ClusterFigures.bestLatencyPeer(all, storage);
    List<List<String>> cells = new ArrayList<>();
    for (ClusterFigures f : rows) {
      cells.add(
          List.of(
              f.isPeer() ? f.library() : "**" + f.library() + "**",
              Markdown.whole(f.opsPerSecond()),
              Markdown.ratio(
                  bestOps.map(b -> f.opsPerSecond() / b.opsPerSecond()).orElse(Double.NaN)),
              Markdown.num(f.p50Micros(), 1),
              Markdown.num(f.p99Micros(), 1),
              Markdown.num(f.p999Micros(), 1),
              Markdown.ratio(bestP99.map(b -> f.p99Micros() / b.p99Micros()).orElse(Double.NaN))));
    }
    return Markdown.table(
        List.of(
            "library",
            "pipelined, 128 outstanding (ops/s)",
            "÷ best peer",
            "p50 at 1 outstanding (µs)",
            "p99 (µs)",
            "p99.9 (µs)",
            "p99 ÷ best peer"),
        cells);
  }

  private static String goal(List<ClusterFigures> all, String storage) {
    Optional<ClusterFigures> ours =
        all.stream().filter(f -> !f.isPeer() && f.storage().equals(storage)).findFirst();
    Optional<ClusterFigures> bestOps = ClusterFigures.bestThroughputPeer(all, storage);
    Optional<ClusterFigures> bestP99 = ClusterFigures.bestLatencyPeer(all, storage);
    if (ours.isEmpty() || bestOps.isEmpty() || bestP99.isEmpty()) {
      return "Goal: not assessed (a run is missing).";
    }
    double ops = ours.get().opsPerSecond() / bestOps.get().opsPerSecond();
    double p99 = ours.get().p99Micros() / bestP99.get().p99Micros();
    return String.format(
        java.util.Locale.ROOT,
        "Goal (≥ 2× the best peer's throughput, ≤ 0.5× its p99): throughput %s the best peer"
            + " (%s), **%s**; p99 %s the best peer's (%s), **%s**.",
        Markdown.ratio(ops),
        bestOps.get().library(),
        ops >= 2 ? "met" : "not met",
        Markdown.ratio(p99),
        bestP99.get().library(),
        p99 <= 0.5 ? "met" : "not met");
  }
}

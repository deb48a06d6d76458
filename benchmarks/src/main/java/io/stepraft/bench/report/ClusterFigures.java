package io.stepraft.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster benchmark's figures of one library on one storage: pipelined throughput and the
 * closed loop's latency percentiles (NaN where that run is missing or failed).
 *
 * @param library the library's name, as the benchmark's parameter
 * @param storage {@code memory} or {@code durable}
 * @param opsPerSecond requests completed per second with 128 outstanding
 * @param p50Micros the median latency with one outstanding, in microseconds
 * @param p99Micros the 99th percentile latency with one outstanding
 * @param p999Micros the 99.9th percentile latency with one outstanding
 */
record ClusterFigures(
    String library,
    String storage,
    double opsPerSecond,
    double p50Micros,
    double p99Micros,
    double p999Micros) {
  static final String OURS = "stepraft";

  boolean isPeer() {
    return !library.equals(OURS);
  }

  /**
   * The figures of every library and storage in {@code results}, in the order they ran: the results
   * of every class named {@code *ClusterBenchmark} (stepraft's module's {@code ClusterBenchmark},
   * {@code SofaJRaftClusterBenchmark} of a module of its own), told apart by their {@code library}
   * parameter.
   */
  static List<ClusterFigures> from(List<JmhResult> results) {
    Map<String, double[]> byKey = new TreeMap<>();
    List<String> order = new ArrayList<>();
    for (JmhResult r : results) {
      String benchmarkClass = r.benchmark().substring(0, r.benchmark().indexOf('.'));
      if (!benchmarkClass.endsWith("ClusterBenchmark")) {
        continue;
      }
      String key = r.param("library") + "/" + r.param("storage");
      double[] f =
          byKey.computeIfAbsent(
              key,
              k -> {
                order.add(k);
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
              });
      if (r.benchmark().endsWith(".pipelined")) {
        f[0] = r.score();
      } else if (r.benchmark().endsWith(".closedLoop")) {
        f[1] = r.percentile("50.0");
        f[2] = r.percentile("99.0");
        f[3] = r.percentile("99.9");
      }
    }
    List<ClusterFigures> out = new ArrayList<>();
    for (String key : order) {
      String[] ls = key.split("/");
      double[] f = byKey.get(key);
      out.add(new ClusterFigures(ls[0], ls[1], f[0], f[1], f[2], f[3]));
    }
    return out;
  }

  /** The peer with the highest throughput on {@code storage}. */
  static Optional<ClusterFigures> bestThroughputPeer(List<ClusterFigures> all, String storage) {
    return all.stream()
        .filter(f -> f.isPeer() && f.storage.equals(storage) && !Double.isNaN(f.opsPerSecond))
        .max((a, b) -> Double.compare(a.opsPerSecond, b.opsPerSecond));
  }

  /** The peer with the lowest p99 latency on {@code storage}. */
  static Optional<ClusterFigures> bestLatencyPeer(List<ClusterFigures> all, String storage) {
    return all.stream()
        .filter(f -> f.isPeer() && f.storage.equals(storage) && !Double.isNaN(f.p99Micros))
        .min((a, b) -> Double.compare(a.p99Micros, b.p99Micros));
  }
}

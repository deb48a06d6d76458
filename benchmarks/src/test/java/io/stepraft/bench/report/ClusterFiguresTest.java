package io.stepraft.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster tables take the results of every *ClusterBenchmark class, one row per library. */
class ClusterFiguresTest {
  @Test
  void readsEveryClusterBenchmarkClassAndNothingElse() {
    List<JmhResult> results =
        List.of(
            pipelined("ClusterBenchmark", "stepraft", 600_000),
            closedLoop("ClusterBenchmark", "stepraft", 70, 200),
            pipelined("SofaJRaftClusterBenchmark", "sofajraft", 80_000),
            closedLoop("SofaJRaftClusterBenchmark", "sofajraft", 700, 3_000),
            pipelined("ThreeNodeBenchmark", "stepraft", 1));
    List<ClusterFigures> figures = ClusterFigures.from(results);
    assertEquals(
        List.of(
            new ClusterFigures("stepraft", "memory", 600_000, 70, 200, Double.NaN),
            new ClusterFigures("sofajraft", "memory", 80_000, 700, 3_000, Double.NaN)),
        figures);
  }

  private static JmhResult pipelined(String benchmarkClass, String library, double opsPerSecond) {
    return result(benchmarkClass + ".pipelined", "thrpt", library, opsPerSecond, Map.of());
  }

  private static JmhResult closedLoop(
      String benchmarkClass, String library, double p50, double p99) {
    return result(
        benchmarkClass + ".closedLoop", "sample", library, p50, Map.of("50.0", p50, "99.0", p99));
  }

  private static JmhResult result(
      String benchmark, String mode, String library, double score, Map<String, Double> pcts) {
    Map<String, String> params = Map.of("library", library, "storage", "memory");
    return new JmhResult(benchmark, mode, params, score, Double.NaN, "", pcts, Double.NaN);
  }
}

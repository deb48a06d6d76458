package io.stepraft.bench.report;

import java.util.Map;

/**
 * One row of JMH's JSON results.
 *
 * @param benchmark the benchmark's simple name, {@code Class.method}
 * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample}
 * @param params the parameters of the run
 * @param score the primary score (the mean, for sample mode)
 * @param error the 99.9% half-interval of the score, NaN when JMH gave none
 * @param unit the score's unit
 * @param percentiles for sample mode, from percentile ("50.0", "99.0", "99.9") to value
 * @param allocBytesPerOp the gc profiler's bytes allocated per operation, NaN without it
 */
record JmhResult(
    String benchmark,
    String mode,
    Map<String, String> params,
    double score,
    double error,
    String unit,
    Map<String, Double> percentiles,
    double allocBytesPerOp) {

  /** A parameter's value, or "" when the run has no such parameter. */
  String param(String name) {
    return params.getOrDefault(name, "");
  }

  /** A percentile of a sample-mode run; NaN when there is none. */
  double percentile(String p) {
    return percentiles.getOrDefault(p, Double.NaN);
  }
}

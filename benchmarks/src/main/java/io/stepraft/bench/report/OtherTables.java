package io.stepraft.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The core's and the WAL's tables of the report. */
final class OtherTables {
  private OtherTables() {}

  /** Every run of the core's benchmarks: score ± error, and bytes allocated per operation. */
  static String core(List<JmhResult> results) {
    List<List<String>> rows = new ArrayList<>();
    for (JmhResult r : results) {
      rows.add(
          List.of(
              "`" + r.benchmark() + "`",
              r.params().entrySet().stream()
                  .map(Map.Entry::toString)
                  .collect(Collectors.joining(", ")),
              Markdown.num(r.score(), 1) + " ± " + Markdown.num(r.error(), 1) + " " + r.unit(),
              Markdown.whole(r.allocBytesPerOp())));
    }
    return Markdown.table(List.of("benchmark", "parameters", "score", "B/op"), rows);
  }

  /** One row a payload size: DurableStorage's save against a raw append + fsync, in µs. */
  static String wal(List<JmhResult> results) {
    List<List<String>> rows = new ArrayList<>();
    for (String size : results.stream().map(r -> r.param("payloadBytes")).distinct().toList()) {
      double save = score(results, "durableStorageSave", size);
      double raw = score(results, "fileChannelAppendAndForce", size);
      rows.add(
          List.of(size, Markdown.num(save, 1), Markdown.num(raw, 1), Markdown.ratio(save / raw)));
    }
    return Markdown.table(
        List.of(
            "payload (bytes)",
            "DurableStorage.save, one entry + fdatasync (µs)",
            "raw FileChannel append + force (µs)",
            "WAL ÷ raw"),
        rows);
  }

  private static double score(List<JmhResult> results, String method, String size) {
    return results.stream()
        .filter(r -> r.benchmark().endsWith("." + method) && r.param("payloadBytes").equals(size))
        .mapToDouble(JmhResult::score)
        .findFirst()
        .orElse(Double.NaN);
  }
}

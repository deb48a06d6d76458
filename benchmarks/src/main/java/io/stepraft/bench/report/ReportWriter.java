package io.stepraft.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Writes the benchmarks page from one run's JMH results: fills the placeholders of a Markdown
 * template ({@code {{cluster}}}, {@code {{core}}}, {@code {{wal}}}, {@code {{machine}}}, {@code
 * {{jvm}}}, {@code {{versions}}}, {@code {{date}}}, {@code {{minutes}}}) and draws the chart.
 *
 * <p>Arguments: the results directory, the template, the Markdown page to write, the SVG chart to
 * write, and the minutes the run took. The directory holds {@code core.json} (the core's), {@code
 * wal.json} (the WAL's) and the cluster benchmarks' results: those of every {@code *.json} in it,
 * {@code cluster.json} (stepraft and the peers of the benchmarks module) and {@code sofajraft.json}
 * (SOFAJRaft's, from its own module's jar), in the order of the files' names.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /**
   * Writes the page and the chart.
   *
   * @param args results directory, template, page, chart, minutes
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException(
          "usage: ReportWriter <results dir> <template.md> <page.md> <chart.svg> <minutes>");
    }
    Path results = Path.of(args[0]);
    Path cluster = results.resolve("cluster.json");
    List<ClusterFigures> figures = ClusterFigures.from(JmhJson.readAll(results));
    Map<String, String> values = new TreeMap<>();
    values.put("cluster", ClusterTables.write(figures));
    values.put("core", OtherTables.core(JmhJson.read(results.resolve("core.json"))));
    values.put("wal", OtherTables.wal(JmhJson.read(results.resolve("wal.json"))));
    values.put("machine", Machine.describe());
    values.put("jvm", JmhJson.jvm(cluster));
    values.put("versions", versions());
    values.put("date", LocalDate.now().toString());
    values.put("minutes", args[4]);
    String page = Files.readString(Path.of(args[1]));
    for (Map.Entry<String, String> v : values.entrySet()) {
      page = page.replace("{{" + v.getKey() + "}}", v.getValue().strip());
    }
    Files.writeString(Path.of(args[2]), page);
    Files.writeString(Path.of(args[3]), chart(figures).svg());
  }

  private static BarChart chart(List<ClusterFigures> figures) {
    List<BarChart.Bar> ops = new ArrayList<>();
    List<BarChart.Bar> p99 = new ArrayList<>();
    for (ClusterFigures f : figures) {
      String label = f.library() + ", " + f.storage();
      ops.add(new BarChart.Bar(label, f.opsPerSecond(), !f.isPeer()));
      p99.add(new BarChart.Bar(label, f.p99Micros(), !f.isPeer()));
    }
    return new BarChart("3 nodes in one process, 128-byte commands")
        .add(new BarChart.Panel("pipelined throughput, 128 outstanding", "ops/s", ops))
        .add(new BarChart.Panel("p99 latency, 1 outstanding", "µs, lower is better", p99));
  }

  /** The libraries' versions, as the benchmarks module's build recorded them. */
  private static String versions() throws IOException {
    Properties p = new Properties();
    try (InputStream in = ReportWriter.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(p).forEach((k, v) -> sb.append(k).append(' ').append(v).append(", "));
    return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 2);
  }
}

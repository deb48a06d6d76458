package io.stepraft.bench.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the JSON file that JMH writes with {@code -rf json}. */
final class JmhJson {
  private JmhJson() {}

  /** The runs in {@code file}, in its order; none when the file does not exist. */
  static List<JmhResult> read(Path file) throws IOException {
    List<JmhResult> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (JsonElement e : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
      out.add(result(e.getAsJsonObject()));
    }
    return out;
  }

  /**
   * The runs of every {@code *.json} file in {@code dir}, the files in the order of their names.
   */
  static List<JmhResult> readAll(Path dir) throws IOException {
    List<JmhResult> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        out.addAll(read(f));
      }
    }
    return out;
  }

  /** The JVM the runs used, as JMH recorded it, from the first run in {@code file}. */
  static String jvm(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    JsonObject first =
        JsonParser.parseString(Files.readString(file)).getAsJsonArray().get(0).getAsJsonObject();
    return first.get("vmName").getAsString() + " " + first.get("jdkVersion").getAsString();
  }

  private static JmhResult result(JsonObject o) {
    String full = o.get("benchmark").getAsString();
    String[] parts = full.split("\\.");
    String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
    Map<String, String> params = new LinkedHashMap<>();
    if (o.has("params")) {
      o.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), text(p)));
    }
    JsonObject primary = o.getAsJsonObject("primaryMetric");
    Map<String, Double> percentiles = new LinkedHashMap<>();
    if (primary.has("scorePercentiles")) {
      primary
          .getAsJsonObject("scorePercentiles")
          .entrySet()
          .forEach(p -> percentiles.put(p.getKey(), number(p.getValue())));
    }
    double alloc = Double.NaN;
    JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
    if (secondary != null && secondary.has("gc.alloc.rate.norm")) {
      alloc = number(secondary.getAsJsonObject("gc.alloc.rate.norm").get("score"));
    }
    return new JmhResult(
        name,
        o.get("mode").getAsString(),
        params,
        number(primary.get("score")),
        number(primary.get("scoreError")),
        primary.get("scoreUnit").getAsString(),
        percentiles,
        alloc);
  }

  private static String text(Map.Entry<String, JsonElement> p) {
    return p.getValue().getAsString();
  }

  /** JMH writes "NaN" as a string where it has no number. */
  private static double number(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Double.NaN;
    }
    return e.getAsJsonPrimitive().isString() ? Double.NaN : e.getAsDouble();
  }
}

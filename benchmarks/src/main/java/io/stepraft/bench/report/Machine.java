package io.stepraft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A line describing the machine the report was written on: CPU, cores, memory, OS. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = field(Path.of("/proc/cpuinfo"), "model name");
    String memKb = field(Path.of("/proc/meminfo"), "MemTotal");
    String mem =
        memKb.isEmpty()
            ? "?"
            : String.format(
                Locale.ROOT, "%.0f GiB", Long.parseLong(memKb.split("\\s+")[0]) / 1048576.0);
    return String.format(
        Locale.ROOT,
        "%s, %d cores visible to the JVM, %s memory, %s %s",
        cpu.isEmpty() ? System.getProperty("os.arch") : cpu,
        Runtime.getRuntime().availableProcessors(),
        mem,
        System.getProperty("os.name"),
        System.getProperty("os.version"));
  }

  private static String field(Path file, String name) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(name)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}

package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial.md and the code agree: every line of its Java excerpts is in the sources (a line
 * {@code ...} stands for lines left out), and every flag, metric and class it names exists.
 */
class TutorialTest {
  private static final Path TUTORIAL = Path.of("../docs/tutorial.md");
  private static final Path SOURCES = Path.of("src/main/java/io/stepraft/examples/kv");

  private static String sources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          all.append(line.trim()).append('\n');
        }
      }
    }
    return all.toString();
  }

  @Test
  void everyLineOfTheJavaExcerptsIsInTheCode() throws IOException {
    String code = sources();
    List<String> lines = Files.readAllLines(TUTORIAL, StandardCharsets.UTF_8);
    boolean inJava = false;
    List<String> missing = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("```")) {
        inJava = !inJava && line.equals("```java");
        continue;
      }
      String t = line.trim();
      if (inJava && !t.isEmpty() && !t.equals("...") && !code.contains(t + "\n")) {
        missing.add(t);
      }
    }
    assertTrue(missing.isEmpty(), "tutorial lines not in the code: " + missing);
  }

  @Test
  void everyFlagMetricAndClassNamedExists() throws IOException {
    String doc = Files.readString(TUTORIAL, StandardCharsets.UTF_8);
    String code = sources();
    List<String> missing = new ArrayList<>();
    Matcher flags = Pattern.compile("`(--[a-z][a-z-]+)").matcher(doc);
    while (flags.find()) {
      if (!flags.group(1).equals("--help") && !code.contains("\"" + flags.group(1) + "\"")) {
        missing.add(flags.group(1));
      }
    }
    Matcher metrics = Pattern.compile("`(stepraft_[a-z_]+)`").matcher(doc);
    while (metrics.find()) {
      if (!code.contains("\"" + metrics.group(1) + "\"")) {
        missing.add(metrics.group(1));
      }
    }
    Matcher classes = Pattern.compile("^\\| `([A-Z][A-Za-z]+)`", Pattern.MULTILINE).matcher(doc);
    while (classes.find()) {
      if (!Files.exists(SOURCES.resolve(classes.group(1) + ".java"))) {
        missing.add(classes.group(1) + ".java");
      }
    }
    assertTrue(missing.isEmpty(), "named in the tutorial, missing in the code: " + missing);
  }
}

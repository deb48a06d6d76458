package io.stepraft.raft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the examples of docs/testing.md true to code that runs: a section's fenced blocks, and the
 * code a test marks with {@code // docs:begin} and {@code // docs:end} (without its indentation),
 * so that a test can require them to be equal.
 */
public final class DocPage {
  private static final Path PAGE = Path.of("../docs/testing.md");
  private static final String BEGIN = "// docs:begin";
  private static final String END = "// docs:end";

  private DocPage() {}

  /** The text of the section of docs/testing.md whose heading line is {@code heading}. */
  public static String section(String heading) {
    String page = read(PAGE);
    int start = page.indexOf(heading + "\n");
    if (start < 0) {
      throw new AssertionError("docs/testing.md has no section " + heading);
    }
    int end = page.indexOf("\n## ", start + heading.length());
    return page.substring(start, end < 0 ? page.length() : end);
  }

  /** The contents of the blocks of {@code text} that open with {@code fence} (e.g. "```java\n"). */
  public static List<String> blocks(String text, String fence) {
    List<String> blocks = new ArrayList<>();
    for (int at = text.indexOf(fence); at >= 0; at = text.indexOf(fence, at)) {
      int end = text.indexOf("```\n", at + fence.length());
      blocks.add(text.substring(at + fence.length(), end));
      at = end + 4;
    }
    return blocks;
  }

  /** The code between each pair of markers in the source file {@code source}, in order. */
  public static List<String> markedCode(Path source) {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    int indent = 0;
    for (String line : read(source).split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.equals(BEGIN)) {
        block = new StringBuilder();
        indent = line.indexOf(BEGIN);
      } else if (trimmed.equals(END)) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line.length() > indent ? line.substring(indent) : line.strip()).append('\n');
      }
    }
    return blocks;
  }

  /**
   * Asserts that the {@code java} blocks of the section {@code heading} are, in order, the code
   * that the test class {@code test} marks.
   */
  public static void assertSectionShowsCodeOf(String heading, Class<?> test) {
    Path source = Path.of("src/test/java", test.getName().replace('.', '/') + ".java");
    assertEquals(blocks(section(heading), "```java\n"), markedCode(source));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

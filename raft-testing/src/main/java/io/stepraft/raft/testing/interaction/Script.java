package io.stepraft.raft.testing.interaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An interaction script: blocks of a command line, a {@code ----} separator and the expected
 * output, separated by blank lines; lines starting with {@code #} between blocks are comments. An
 * expected output that contains blank lines is written between a doubled separator and a closing
 * doubled separator:
 *
 * <pre>
 * command
 * ----
 * ----
 * output
 *
 * more output
 * ----
 * ----
 * </pre>
 *
 * <p>The script keeps its lines, so that {@link #rewrite} can replace the expected outputs and
 * leave the comments and the layout as they were.
 */
final class Script {
  static final String SEPARATOR = "----";

  /**
   * One block.
   *
   * @param line the 1-based line number of the command
   * @param command the command line
   * @param expected the expected output, lines joined by {@code '\n'}, no trailing newline
   * @param outputFrom the 0-based index of the first line of the output region (after the
   *     separator)
   * @param outputTo the 0-based index just past the output region
   */
  record Block(int line, String command, String expected, int outputFrom, int outputTo) {}

  private final String name;
  private final List<String> lines;
  private final List<Block> blocks;

  private Script(String name, List<String> lines, List<Block> blocks) {
    this.name = name;
    this.lines = lines;
    this.blocks = blocks;
  }

  /**
   * Parses a script.
   *
   * @param name the script's name, for messages
   * @throws IllegalArgumentException naming the line of a malformed block
   */
  static Script parse(String name, String source) {
    List<String> lines = splitLines(source);
    List<Block> blocks = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        i++;
        continue;
      }
      int commandLine = i;
      i++;
      if (i >= lines.size() || !lines.get(i).equals(SEPARATOR)) {
        throw new IllegalArgumentException(
            name
                + ":"
                + (i + 1)
                + ": expected "
                + SEPARATOR
                + " after the command on line "
                + (commandLine + 1)
                + ", found "
                + (i >= lines.size() ? "the end of the script" : "'" + lines.get(i) + "'"));
      }
      i++;
      int from = i;
      String expected;
      if (i < lines.size() && lines.get(i).equals(SEPARATOR)) {
        int close = findClosingSeparator(lines, i + 1);
        if (close < 0) {
          throw new IllegalArgumentException(
              name
                  + ":"
                  + (i + 1)
                  + ": the output opened by a doubled "
                  + SEPARATOR
                  + " is never closed by another doubled "
                  + SEPARATOR);
        }
        expected = String.join("\n", lines.subList(i + 1, close));
        i = close + 2;
      } else {
        while (i < lines.size() && !lines.get(i).isBlank()) {
          i++;
        }
        expected = String.join("\n", lines.subList(from, i));
      }
      blocks.add(new Block(commandLine + 1, line.strip(), expected, from, i));
    }
    return new Script(name, lines, List.copyOf(blocks));
  }

  private static int findClosingSeparator(List<String> lines, int from) {
    for (int j = from; j + 1 < lines.size(); j++) {
      if (lines.get(j).equals(SEPARATOR) && lines.get(j + 1).equals(SEPARATOR)) {
        return j;
      }
    }
    return -1;
  }

  private static List<String> splitLines(String source) {
    String text = source.replace("\r\n", "\n");
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(text.split("\n", -1));
  }

  String name() {
    return name;
  }

  List<Block> blocks() {
    return blocks;
  }

  /**
   * The script with each block's expected output replaced by {@code outputs}, in block order;
   * everything else is kept. An output with a blank line is written in the doubled-separator form.
   */
  String rewrite(List<String> outputs) {
    if (outputs.size() != blocks.size()) {
      throw new IllegalArgumentException(
          outputs.size() + " outputs for the " + blocks.size() + " blocks of " + name);
    }
    StringBuilder sb = new StringBuilder();
    int next = 0;
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      appendLines(sb, lines.subList(next, block.outputFrom()));
      String out = outputs.get(b);
      List<String> outLines = out.isEmpty() ? List.of() : Arrays.asList(out.split("\n", -1));
      boolean hasBlank = outLines.stream().anyMatch(String::isBlank);
      if (hasBlank) {
        sb.append(SEPARATOR).append('\n');
      }
      appendLines(sb, outLines);
      if (hasBlank) {
        sb.append(SEPARATOR).append('\n').append(SEPARATOR).append('\n');
      }
      next = block.outputTo();
    }
    appendLines(sb, lines.subList(next, lines.size()));
    return sb.toString();
  }

  private static void appendLines(StringBuilder sb, List<String> lines) {
    for (String l : lines) {
      sb.append(l).append('\n');
    }
  }
}

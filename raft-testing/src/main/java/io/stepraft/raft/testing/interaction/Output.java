package io.stepraft.raft.testing.interaction;

/** The output of one command: lines, each prefixed with the current indentation. */
final class Output {
  private final StringBuilder sb = new StringBuilder();
  private String indent = "";

  /** Appends {@code text}, one or more lines, each indented. */
  void line(String text) {
    for (String l : text.split("\n", -1)) {
      sb.append(indent).append(l).append('\n');
    }
  }

  /** Runs {@code body} with the indentation deepened by two spaces. */
  void indented(Runnable body) {
    String saved = indent;
    indent = saved + "  ";
    try {
      body.run();
    } finally {
      indent = saved;
    }
  }

  boolean isEmpty() {
    return sb.length() == 0;
  }

  /** The output so far, without the trailing newline; the buffer is cleared. */
  String take() {
    String s = sb.length() == 0 ? "" : sb.substring(0, sb.length() - 1);
    sb.setLength(0);
    indent = "";
    return s;
  }
}

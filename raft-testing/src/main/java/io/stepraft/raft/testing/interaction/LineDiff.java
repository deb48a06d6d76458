package io.stepraft.raft.testing.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of an expected and an actual text, in the style of a unified diff: lines only
 * expected start with {@code -}, lines only actual with {@code +}, unchanged lines near a change
 * with a space; runs of unchanged lines further away are elided.
 */
final class LineDiff {
  /** Unchanged lines shown on either side of a change. */
  static final int CONTEXT_LINES = 2;

  /** Larger inputs are not aligned (the table is quadratic); both are printed whole. */
  static final long TABLE_CELLS_MAX = 4_000_000;

  private LineDiff() {}

  static String diff(String expected, String actual) {
    List<String> a = lines(expected);
    List<String> b = lines(actual);
    StringBuilder sb = new StringBuilder("--- expected\n+++ actual\n");
    if ((long) a.size() * b.size() > TABLE_CELLS_MAX) {
      a.forEach(l -> sb.append('-').append(l).append('\n'));
      b.forEach(l -> sb.append('+').append(l).append('\n'));
      return sb.toString();
    }
    List<String> ops = align(a, b);
    boolean[] near = new boolean[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).charAt(0) != ' ') {
        for (int j = Math.max(0, i - CONTEXT_LINES);
            j <= Math.min(ops.size() - 1, i + CONTEXT_LINES);
            j++) {
          near[j] = true;
        }
      }
    }
    boolean elided = false;
    for (int i = 0; i < ops.size(); i++) {
      if (near[i]) {
        sb.append(ops.get(i)).append('\n');
        elided = false;
      } else if (!elided) {
        sb.append("...\n");
        elided = true;
      }
    }
    return sb.toString();
  }

  /** The edit script of a longest common subsequence: each line prefixed with ' ', '-' or '+'. */
  private static List<String> align(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>(n + m);
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(" " + a.get(i++));
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add("-" + a.get(i++));
      } else {
        ops.add("+" + b.get(j++));
      }
    }
    return ops;
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }
}

package io.stepraft.bench.report;

import java.util.List;
import java.util.Locale;

/** Small helpers to write Markdown tables and numbers. */
final class Markdown {
  private Markdown() {}

  /** A table: the header row, its rule, then the rows. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    row(sb, header);
    row(sb, header.stream().map(h -> "---").toList());
    rows.forEach(r -> row(sb, r));
    return sb.toString();
  }

  private static void row(StringBuilder sb, List<String> cells) {
    sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  /** A number with thousands separators and no decimals, or "–" for NaN. */
  static String whole(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** A number with {@code decimals} decimals when below 100, else whole; "–" for NaN. */
  static String num(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return Math.abs(v) >= 100 ? whole(v) : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A ratio as "2.5×", or "–". */
  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
  }
}

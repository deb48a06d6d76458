package io.stepraft.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as SVG: panels side by side, each with one bar a row, linear from zero,
 * the value written at the end of each bar. Pure string building, no library.
 */
final class BarChart {
  /** One bar: its label, value and whether it is stepraft's (drawn in the accent colour). */
  record Bar(String label, double value, boolean ours) {}

  /** One panel: a title, the unit of its values and its bars, top to bottom. */
  record Panel(String title, String unit, List<Bar> bars) {}

  private static final int PANEL_WIDTH = 420;
  private static final int LABEL_WIDTH = 150;
  private static final int BAR_HEIGHT = 18;
  private static final int GAP = 6;
  private static final int TOP = 44;
  private static final String OURS = "#d9480f";
  private static final String PEER = "#5c7cfa";

  private final List<Panel> panels = new ArrayList<>();
  private final String title;

  BarChart(String title) {
    this.title = title;
  }

  BarChart add(Panel panel) {
    panels.add(panel);
    return this;
  }

  String svg() {
    int rows = panels.stream().mapToInt(p -> p.bars().size()).max().orElse(0);
    int width = panels.size() * PANEL_WIDTH + 20;
    int height = TOP + rows * (BAR_HEIGHT + GAP) + 30;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">\n",
            width,
            height));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(sb, 10, 16, escape(title), "font-size=\"13\" font-weight=\"bold\"");
    for (int i = 0; i < panels.size(); i++) {
      panel(sb, panels.get(i), 10 + i * PANEL_WIDTH);
    }
    return sb.append("</svg>\n").toString();
  }

  private void panel(StringBuilder sb, Panel p, int x) {
    text(sb, x, 34, escape(p.title() + " (" + p.unit() + ")"), "font-weight=\"bold\"");
    double max =
        p.bars().stream().mapToDouble(Bar::value).filter(v -> !Double.isNaN(v)).max().orElse(1);
    int barSpace = PANEL_WIDTH - LABEL_WIDTH - 70;
    int y = TOP;
    for (Bar b : p.bars()) {
      text(sb, x, y + BAR_HEIGHT - 5, escape(b.label()), "");
      double v = Double.isNaN(b.value()) ? 0 : b.value();
      int w = (int) Math.round(barSpace * v / max);
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n",
              x + LABEL_WIDTH,
              y,
              Math.max(w, 1),
              BAR_HEIGHT,
              b.ours() ? OURS : PEER));
      text(
          sb,
          x + LABEL_WIDTH + w + 4,
          y + BAR_HEIGHT - 5,
          Double.isNaN(b.value()) ? "n/a" : Markdown.num(b.value(), 1),
          "");
      y += BAR_HEIGHT + GAP;
    }
  }

  private static void text(StringBuilder sb, int x, int y, String s, String attributes) {
    sb.append(
        String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>\n", x, y, attributes, s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}

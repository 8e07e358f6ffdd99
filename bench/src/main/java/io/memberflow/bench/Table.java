package io.memberflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table, so that a run's output can go into docs/performance.md as it is. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  static String num(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }

  /** "met" or "NOT met", with the figure and its bound. */
  static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        out.append("|").append("---|".repeat(rows.get(0).length)).append("\n");
      }
    }
    return out.toString();
  }
}

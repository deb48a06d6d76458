package io.stepraft.bench.core;

/** Checks, after a benchmark trial, that the counters show the work was done. */
final class WorkCheck {
  private WorkCheck() {}

  /** Throws unless {@code count / operations >= min} and at least one operation ran. */
  static void atLeast(String what, long count, long operations, double min) {
    if (operations == 0) {
      throw new IllegalStateException(what + ": no operation ran");
    }
    double perOp = (double) count / operations;
    if (perOp < min) {
      throw new IllegalStateException(
          what + " = " + perOp + " (" + count + " / " + operations + "), expected at least " + min);
    }
  }
}

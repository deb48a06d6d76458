package io.stepraft.raft.testing.sim;

/** A checked property failed during a simulated run. */
public final class Violation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The property that failed. */
  private final Check check;

  Violation(Check check, String detail, Throwable cause) {
    super(check + ": " + detail, cause);
    this.check = check;
  }

  /** The property that failed. */
  public Check check() {
    return check;
  }
}

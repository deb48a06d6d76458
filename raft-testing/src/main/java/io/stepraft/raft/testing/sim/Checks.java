package io.stepraft.raft.testing.sim;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Where checkers report. An enabled check throws a {@link Violation}, which ends the run; a
 * disabled one only counts, so that a planted-bug test can show that one checker fires on its own.
 */
final class Checks {
  private final Set<Check> enabled;
  private final Map<Check, Integer> suppressed = new EnumMap<>(Check.class);

  Checks(Set<Check> enabled) {
    this.enabled = enabled;
  }

  /** Reports a violation of {@code c}: throws if enabled, else counts it and returns. */
  void fail(Check c, String detail) {
    fail(c, detail, null);
  }

  void fail(Check c, String detail, Throwable cause) {
    if (enabled.contains(c)) {
      throw new Violation(c, detail, cause);
    }
    suppressed.merge(c, 1, Integer::sum);
  }

  /** Fails unless {@code ok}. */
  void require(boolean ok, Check c, String detail) {
    if (!ok) {
      fail(c, detail);
    }
  }

  boolean enabled(Check c) {
    return enabled.contains(c);
  }

  /** Violations of disabled checks, by check. */
  Map<Check, Integer> suppressed() {
    return suppressed;
  }
}

package io.stepraft.raft.testing.lincheck;

import java.util.Objects;

/**
 * What the built-in models' operations answer: a value found, nothing found, ok, or failed. {@link
 * KvModel} and {@link RegisterModel} say which answers each of their operations may give.
 *
 * @param <V> the value type
 */
public sealed interface Reply<V> permits Reply.Found, Reply.Absent, Reply.Ok, Reply.Failed {
  /**
   * Returns the reply of a read that found a value.
   *
   * @param value the value
   * @param <V> the value type
   * @return {@code found(value)}, shown as the value
   */
  static <V> Reply<V> found(V value) {
    return new Found<>(value);
  }

  /**
   * Returns the reply of a read that found no value.
   *
   * @param <V> the value type
   * @return {@code absent}
   */
  static <V> Reply<V> absent() {
    return new Absent<>();
  }

  /**
   * Returns the reply of a write, or of a compare-and-set that succeeded.
   *
   * @param <V> the value type
   * @return {@code ok}
   */
  static <V> Reply<V> ok() {
    return new Ok<>();
  }

  /**
   * Returns the reply of a compare-and-set that found another value and changed nothing.
   *
   * @param <V> the value type
   * @return {@code failed}
   */
  static <V> Reply<V> failed() {
    return new Failed<>();
  }

  /**
   * A read found a value.
   *
   * @param value the value
   * @param <V> the value type
   */
  record Found<V>(V value) implements Reply<V> {
    /** Checks that the value is not null. */
    public Found {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /**
   * A read found nothing.
   *
   * @param <V> the value type
   */
  record Absent<V>() implements Reply<V> {
    @Override
    public String toString() {
      return "absent";
    }
  }

  /**
   * A write or compare-and-set took effect.
   *
   * @param <V> the value type
   */
  record Ok<V>() implements Reply<V> {
    @Override
    public String toString() {
      return "ok";
    }
  }

  /**
   * A compare-and-set found another value and changed nothing.
   *
   * @param <V> the value type
   */
  record Failed<V>() implements Reply<V> {
    @Override
    public String toString() {
      return "failed";
    }
  }
}

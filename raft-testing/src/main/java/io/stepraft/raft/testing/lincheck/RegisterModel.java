package io.stepraft.raft.testing.lincheck;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A single register that always holds a value: read, write, compare-and-set. Not partitioned.
 *
 * <table>
 *   <caption>Operations and their legal outputs</caption>
 *   <tr><th>input</th><th>output</th><th>effect</th></tr>
 *   <tr><td>{@link #read()}</td><td>{@link Reply#found found(v)}, v the register's value</td>
 *       <td>none</td></tr>
 *   <tr><td>{@link #write write(v)}</td><td>{@link Reply#ok ok()}</td><td>the register holds
 *       v</td></tr>
 *   <tr><td>{@link #cas cas(e, v)}</td><td>{@link Reply#ok ok()} if the register holds e, else
 *       {@link Reply#failed failed()}</td><td>on ok, the register holds v</td></tr>
 * </table>
 *
 * <p>The state is the register's value; values need {@code equals} and {@code hashCode} and may not
 * be null.
 *
 * @param <V> the value type
 */
public final class RegisterModel<V> implements Model<V, RegisterModel.Input<V>, Reply<V>> {
  private final V initial;

  private RegisterModel(V initial) {
    this.initial = Objects.requireNonNull(initial, "initial");
  }

  /**
   * Returns the model of a register that starts with a value.
   *
   * @param initial the value before any write
   * @param <V> the value type
   * @return the model
   */
  public static <V> RegisterModel<V> startingAt(V initial) {
    return new RegisterModel<>(initial);
  }

  @Override
  public V initialState() {
    return initial;
  }

  @Override
  public Optional<V> step(V state, Input<V> input, Reply<V> output) {
    if (input instanceof Read<V>) {
      return output.equals(Reply.found(state)) ? Optional.of(state) : Optional.empty();
    }
    if (input instanceof Write<V> write) {
      return output instanceof Reply.Ok<V> ? Optional.of(write.value()) : Optional.empty();
    }
    Cas<V> cas = (Cas<V>) input;
    boolean matches = cas.expected().equals(state);
    if (output instanceof Reply.Ok<V>) {
      return matches ? Optional.of(cas.value()) : Optional.empty();
    }
    return output instanceof Reply.Failed<V> && !matches ? Optional.of(state) : Optional.empty();
  }

  @Override
  public Collection<V> stepUnknown(V state, Input<V> input) {
    if (input instanceof Write<V> write) {
      return List.of(write.value());
    }
    if (input instanceof Cas<V> cas && cas.expected().equals(state)) {
      return List.of(cas.value());
    }
    return List.of(state);
  }

  /** Returns true for reads and for compare-and-sets that failed. */
  @Override
  public boolean readOnly(Input<V> input, Reply<V> output) {
    return input instanceof Read<V> || output instanceof Reply.Failed<V>;
  }

  /**
   * Returns a read.
   *
   * @param <V> the value type
   * @return {@code read()}
   */
  public static <V> Input<V> read() {
    return new Read<>();
  }

  /**
   * Returns a write.
   *
   * @param value the value to write
   * @param <V> the value type
   * @return {@code write(value)}
   */
  public static <V> Input<V> write(V value) {
    return new Write<>(value);
  }

  /**
   * Returns a compare-and-set.
   *
   * @param expected the value the register must hold
   * @param value the value to set
   * @param <V> the value type
   * @return {@code cas(expected, value)}
   */
  public static <V> Input<V> cas(V expected, V value) {
    return new Cas<>(expected, value);
  }

  /**
   * An operation's input: {@link Read}, {@link Write} or {@link Cas}.
   *
   * @param <V> the value type
   */
  public sealed interface Input<V> permits Read, Write, Cas {}

  /**
   * Reads the register.
   *
   * @param <V> the value type
   */
  public record Read<V>() implements Input<V> {
    @Override
    public String toString() {
      return "read()";
    }
  }

  /**
   * Writes the register.
   *
   * @param value the value to write
   * @param <V> the value type
   */
  public record Write<V>(V value) implements Input<V> {
    /** Checks that the value is not null. */
    public Write {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "write(" + value + ")";
    }
  }

  /**
   * Sets the register if it holds an expected value.
   *
   * @param expected the value it must hold
   * @param value the value to set
   * @param <V> the value type
   */
  public record Cas<V>(V expected, V value) implements Input<V> {
    /** Checks that neither value is null. */
    public Cas {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "cas(" + expected + " -> " + value + ")";
    }
  }
}

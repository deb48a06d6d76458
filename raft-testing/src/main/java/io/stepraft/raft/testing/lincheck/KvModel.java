package io.stepraft.raft.testing.lincheck;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A key-value store: get, put, delete and compare-and-set on single keys. Keys are independent, so
 * the model is P-compositional: the checker checks each key's operations on their own.
 *
 * <table>
 *   <caption>Operations and their legal outputs</caption>
 *   <tr><th>input</th><th>output</th><th>effect</th></tr>
 *   <tr><td>{@link #get get(k)}</td><td>{@link Reply#found found(v)} if k maps to v, {@link
 *       Reply#absent absent()} if k is absent</td><td>none</td></tr>
 *   <tr><td>{@link #put put(k, v)}</td><td>{@link Reply#ok ok()}</td><td>k maps to v</td></tr>
 *   <tr><td>{@link #delete delete(k)}</td><td>{@link Reply#ok ok()}</td><td>k is absent</td></tr>
 *   <tr><td>{@link #cas cas(k, e, v)}</td><td>{@link Reply#ok ok()} if k maps to e, else {@link
 *       Reply#failed failed()}</td><td>on ok, k maps to v</td></tr>
 *   <tr><td>{@link #casIfAbsent casIfAbsent(k, v)}</td><td>{@link Reply#ok ok()} if k is absent,
 *       else {@link Reply#failed failed()}</td><td>on ok, k maps to v</td></tr>
 * </table>
 *
 * <p>Any other output (such as {@code ok()} for a get) is illegal. Keys and values need {@code
 * equals} and {@code hashCode}; neither may be null. The state is an unmodifiable map.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class KvModel<K, V> implements Model<Map<K, V>, KvModel.Input<K, V>, Reply<V>> {
  private final Map<K, V> initial;

  private KvModel(Map<K, V> initial) {
    this.initial = Collections.unmodifiableMap(new HashMap<>(initial));
  }

  /**
   * Returns the model of a store that starts empty.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @return the model
   */
  public static <K, V> KvModel<K, V> empty() {
    return new KvModel<>(Map.of());
  }

  /**
   * Returns the model of a store that starts with some keys set.
   *
   * @param initial the initial contents
   * @param <K> the key type
   * @param <V> the value type
   * @return the model
   */
  public static <K, V> KvModel<K, V> startingWith(Map<K, V> initial) {
    return new KvModel<>(initial);
  }

  @Override
  public Map<K, V> initialState() {
    return initial;
  }

  @Override
  public Optional<Map<K, V>> step(Map<K, V> state, Input<K, V> input, Reply<V> output) {
    V current = state.get(input.key());
    if (input instanceof Get<K, V>) {
      Reply<V> expected = current == null ? Reply.absent() : Reply.found(current);
      return expected.equals(output) ? Optional.of(state) : Optional.empty();
    }
    if (input instanceof Cas<K, V> cas && output instanceof Reply.Failed<V>) {
      return Objects.equals(current, cas.expected()) ? Optional.empty() : Optional.of(state);
    }
    if (!(output instanceof Reply.Ok<V>)) {
      return Optional.empty();
    }
    if (input instanceof Cas<K, V> cas && !Objects.equals(current, cas.expected())) {
      return Optional.empty();
    }
    return Optional.of(apply(state, input));
  }

  @Override
  public Collection<Map<K, V>> stepUnknown(Map<K, V> state, Input<K, V> input) {
    if (input instanceof Cas<K, V> cas && !Objects.equals(state.get(cas.key()), cas.expected())) {
      return List.of(state); // it failed, if it took effect at all
    }
    return List.of(apply(state, input));
  }

  /** The state after a put, delete, successful cas, or get. */
  private Map<K, V> apply(Map<K, V> state, Input<K, V> input) {
    Map<K, V> after = new HashMap<>(state);
    if (input instanceof Put<K, V> put) {
      after.put(put.key(), put.value());
    } else if (input instanceof Delete<K, V> delete) {
      after.remove(delete.key());
    } else if (input instanceof Cas<K, V> cas) {
      after.put(cas.key(), cas.value());
    } else {
      return state;
    }
    return Collections.unmodifiableMap(after);
  }

  /** Returns true for gets and for compare-and-sets that failed. */
  @Override
  public boolean readOnly(Input<K, V> input, Reply<V> output) {
    return input instanceof Get<K, V> || output instanceof Reply.Failed<V>;
  }

  /** Returns the input's key: each key is a partition. */
  @Override
  public Object partitionKey(Input<K, V> input) {
    return input.key();
  }

  /**
   * Returns a get.
   *
   * @param key the key
   * @param <K> the key type
   * @param <V> the value type
   * @return {@code get(key)}
   */
  public static <K, V> Input<K, V> get(K key) {
    return new Get<>(key);
  }

  /**
   * Returns a put.
   *
   * @param key the key
   * @param value the value to set
   * @param <K> the key type
   * @param <V> the value type
   * @return {@code put(key, value)}
   */
  public static <K, V> Input<K, V> put(K key, V value) {
    return new Put<>(key, value);
  }

  /**
   * Returns a delete.
   *
   * @param key the key
   * @param <K> the key type
   * @param <V> the value type
   * @return {@code delete(key)}
   */
  public static <K, V> Input<K, V> delete(K key) {
    return new Delete<>(key);
  }

  /**
   * Returns a compare-and-set that expects the key to hold a value.
   *
   * @param key the key
   * @param expected the value the key must hold
   * @param value the value to set
   * @param <K> the key type
   * @param <V> the value type
   * @return {@code cas(key, expected, value)}
   */
  public static <K, V> Input<K, V> cas(K key, V expected, V value) {
    return new Cas<>(key, Objects.requireNonNull(expected, "expected"), value);
  }

  /**
   * Returns a compare-and-set that expects the key to be absent.
   *
   * @param key the key
   * @param value the value to set
   * @param <K> the key type
   * @param <V> the value type
   * @return {@code cas(key, absent, value)}
   */
  public static <K, V> Input<K, V> casIfAbsent(K key, V value) {
    return new Cas<>(key, null, value);
  }

  /**
   * An operation's input; build one with {@link #get}, {@link #put}, {@link #delete}, {@link #cas}
   * or {@link #casIfAbsent}.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public sealed interface Input<K, V> permits Get, Put, Delete, Cas {
    /**
     * Returns the key the operation touches.
     *
     * @return the key
     */
    K key();
  }

  /**
   * Reads a key.
   *
   * @param key the key
   * @param <K> the key type
   * @param <V> the value type
   */
  public record Get<K, V>(K key) implements Input<K, V> {
    /** Checks that the key is not null. */
    public Get {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "get(" + key + ")";
    }
  }

  /**
   * Sets a key.
   *
   * @param key the key
   * @param value the value to set
   * @param <K> the key type
   * @param <V> the value type
   */
  public record Put<K, V>(K key, V value) implements Input<K, V> {
    /** Checks that neither field is null. */
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "put(" + key + ", " + value + ")";
    }
  }

  /**
   * Removes a key.
   *
   * @param key the key
   * @param <K> the key type
   * @param <V> the value type
   */
  public record Delete<K, V>(K key) implements Input<K, V> {
    /** Checks that the key is not null. */
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return "delete(" + key + ")";
    }
  }

  /**
   * Sets a key if it holds an expected value, or if it is absent.
   *
   * @param key the key
   * @param expected the value the key must hold; null if it must be absent
   * @param value the value to set
   * @param <K> the key type
   * @param <V> the value type
   */
  public record Cas<K, V>(K key, V expected, V value) implements Input<K, V> {
    /** Checks that neither key nor value is null. */
    public Cas {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "cas(" + key + ", " + (expected == null ? "absent" : expected) + " -> " + value + ")";
    }
  }
}

package io.stepraft.raft.testing.lincheck;

import java.util.Collection;
import java.util.Optional;

/**
 * The sequential specification of a service: what each operation may return, and how it changes the
 * state, when operations run one at a time. The checker asks whether a concurrent history can be
 * explained by some order of its operations that this specification accepts.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Every method is a pure function of its arguments: it never changes a state it is given, and
 *       it returns the same result (in the same order) for the same arguments.
 *   <li>States are immutable values with {@code equals} and {@code hashCode}: the checker memoises
 *       the pairs (operations linearized so far, state) it has explored, and two equal states must
 *       lead to the same futures.
 * </ul>
 *
 * @param <S> the state
 * @param <I> an operation's input (what the client asked for)
 * @param <O> an operation's output (what the service answered)
 */
public interface Model<S, I, O> {
  /**
   * Returns the state before any operation.
   *
   * @return the initial state
   */
  S initialState();

  /**
   * Applies an operation whose output is known.
   *
   * @param state the state before the operation
   * @param input the operation's input
   * @param output the output the client saw
   * @return the state after the operation if {@code output} is a legal answer to {@code input} in
   *     {@code state}, else empty
   */
  Optional<S> step(S state, I input, O output);

  /**
   * Applies an operation whose output is unknown (it timed out): every state it may leave behind,
   * whatever it answered. The checker also considers that such an operation never took effect, so
   * the result need not include {@code state} itself unless the operation can take effect without
   * changing it.
   *
   * <p>The default refuses: a model must implement this to check histories with timed-out
   * operations.
   *
   * @param state the state before the operation
   * @param input the operation's input
   * @return the possible states after it; empty if the input cannot take effect in {@code state}
   * @throws UnsupportedOperationException if the model cannot handle unknown outputs
   */
  default Collection<S> stepUnknown(S state, I input) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot check an operation of unknown outcome: " + input);
  }

  /**
   * Tells whether an operation is read-only: in every state where it is legal, it leaves the state
   * as it was (a read; a compare-and-set that failed). The checker uses it to prune its search: a
   * read-only operation that is legal when it could be linearized is as good linearized then as at
   * any later point, so the search never tries the orders that put it later, and many overlapping
   * reads no longer multiply the work.
   *
   * <p>The default says no, which is always correct. Saying yes for an operation that changes some
   * state where it is legal (a write of the value already there, which is a no-op only then) makes
   * the checker report violations that are not there.
   *
   * @param input the operation's input
   * @param output the output the client saw
   * @return true only if the operation never changes a state it is legal in
   */
  default boolean readOnly(I input, O output) {
    return false;
  }

  /**
   * Names the independent part of the state an input touches, for P-compositional checking: when
   * operations on different partitions never affect each other (the keys of a key-value store), a
   * history is linearizable if and only if each partition's sub-history is, and the checker checks
   * them one at a time, which is exponentially cheaper than checking them together. Every operation
   * must touch exactly one partition.
   *
   * @param input an operation's input
   * @return the partition key (a value with {@code equals} and {@code hashCode}), or {@code null}
   *     if the model is not P-compositional (the default): the whole history is then one partition
   */
  default Object partitionKey(I input) {
    return null;
  }
}

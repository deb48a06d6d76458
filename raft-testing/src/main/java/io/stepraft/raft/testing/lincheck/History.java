package io.stepraft.raft.testing.lincheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable history: the operations clients ran against a service, each with its invocation and
 * return times. Operations that definitely failed are not in it (they did not take effect);
 * operations whose outcome is unknown are, with {@link Operation#NEVER} as their return time.
 *
 * <p>Build one from completed {@link Operation}s with {@link #of}, from invoke and completion
 * events with {@link #builder}, or from concurrent client threads with a {@link HistoryRecorder}.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class History<I, O> {
  private final List<Operation<I, O>> operations;

  private History(List<Operation<I, O>> operations) {
    this.operations = List.copyOf(operations);
  }

  /**
   * Returns the history of these operations.
   *
   * @param operations the operations, in any order; none that failed
   * @param <I> the input type
   * @param <O> the output type
   * @return the history
   */
  public static <I, O> History<I, O> of(List<Operation<I, O>> operations) {
    return new History<>(operations);
  }

  /**
   * Returns a builder that takes events one at a time: an invocation, then its completion.
   *
   * @param <I> the input type
   * @param <O> the output type
   * @return an empty builder
   */
  public static <I, O> Builder<I, O> builder() {
    return new Builder<>();
  }

  /**
   * Returns the operations, in the order they were given or invoked.
   *
   * @return the operations, unmodifiable
   */
  public List<Operation<I, O>> operations() {
    return operations;
  }

  /**
   * Returns the number of operations.
   *
   * @return how many operations the history holds
   */
  public int size() {
    return operations.size();
  }

  /**
   * Returns the history, one operation a line.
   *
   * @return the operations in order
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Operation<I, O> op : operations) {
      out.append(op).append('\n');
    }
    return out.toString();
  }

  /**
   * Builds a history from events, as a simulator or a single-threaded driver sees them. Each client
   * runs one operation at a time: {@link #invoke}, then exactly one of {@link #ok}, {@link #fail}
   * or {@link #timeout}. Not thread-safe; {@link HistoryRecorder} is.
   *
   * @param <I> the input type
   * @param <O> the output type
   */
  public static final class Builder<I, O> {
    /** Operations in invocation order, failed ones included (build drops them). */
    private final List<Call<I, O>> calls = new ArrayList<>();

    private final Map<Long, Call<I, O>> pendingByClient = new HashMap<>();

    Builder() {}

    /**
     * Records that a client sent an operation.
     *
     * @param clientId the client
     * @param input what it asked for
     * @param time when it sent it
     * @return this builder
     * @throws IllegalStateException if the client has an operation in flight
     */
    public Builder<I, O> invoke(long clientId, I input, long time) {
      if (input == null) {
        throw new IllegalArgumentException("client " + clientId + " invoked a null input");
      }
      if (time == Operation.NEVER) {
        throw new IllegalArgumentException("time " + Operation.NEVER + " is reserved");
      }
      Call<I, O> pending = pendingByClient.get(clientId);
      if (pending != null) {
        throw new IllegalStateException(
            "client " + clientId + " invoked " + input + " with " + pending.input + " in flight");
      }
      Call<I, O> call = new Call<>(clientId, input, time);
      calls.add(call);
      pendingByClient.put(clientId, call);
      return this;
    }

    /**
     * Records that the client's operation took effect and answered.
     *
     * @param clientId the client
     * @param output the answer
     * @param time when the client got it
     * @return this builder
     */
    public Builder<I, O> ok(long clientId, O output, long time) {
      if (output == null) {
        throw new IllegalArgumentException("client " + clientId + " got a null output");
      }
      complete(clientId, time).answer(output, time);
      return this;
    }

    /**
     * Records that the client's operation definitely did not take effect: it is dropped.
     *
     * @param clientId the client
     * @param time when the client learned it
     * @return this builder
     */
    public Builder<I, O> fail(long clientId, long time) {
      complete(clientId, time).failed = true;
      return this;
    }

    /**
     * Records that the client gave up on its operation without knowing whether it took effect (a
     * timeout, a lost connection; Jepsen's "info"). It may take effect at any time after its
     * invocation, or never; its output is unknown. The client may invoke another operation.
     *
     * @param clientId the client
     * @param time when the client gave up
     * @return this builder
     */
    public Builder<I, O> timeout(long clientId, long time) {
      complete(clientId, time);
      return this;
    }

    private Call<I, O> complete(long clientId, long time) {
      Call<I, O> call = pendingByClient.remove(clientId);
      if (call == null) {
        throw new IllegalStateException("client " + clientId + " has no operation in flight");
      }
      if (time < call.invokeTime) {
        throw new IllegalArgumentException(
            "client "
                + clientId
                + " completed "
                + call.input
                + " at "
                + time
                + ", before its invocation at "
                + call.invokeTime);
      }
      return call;
    }

    /**
     * Returns the history so far. Operations still in flight count as timed out. The builder can go
     * on taking events.
     *
     * @return the history
     */
    public History<I, O> build() {
      List<Operation<I, O>> ops = new ArrayList<>(calls.size());
      for (Call<I, O> call : calls) {
        if (!call.failed) {
          ops.add(call.toOperation());
        }
      }
      return new History<>(ops);
    }
  }

  /** One invocation and what became of it; an unanswered call has an unknown outcome. */
  private static final class Call<I, O> {
    final long clientId;
    final I input;
    final long invokeTime;
    O output;
    long returnTime = Operation.NEVER;
    boolean failed;

    Call(long clientId, I input, long invokeTime) {
      this.clientId = clientId;
      this.input = input;
      this.invokeTime = invokeTime;
    }

    void answer(O output, long returnTime) {
      this.output = output;
      this.returnTime = returnTime;
    }

    Operation<I, O> toOperation() {
      return new Operation<>(clientId, input, output, invokeTime, returnTime);
    }
  }
}

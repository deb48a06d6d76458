package io.stepraft.raft.testing.lincheck;

import java.util.function.LongSupplier;

/**
 * Records a history from concurrent client threads, for tests that drive an in-process cluster or a
 * real one. Each client thread calls {@link #invoke} just before it sends an operation, and
 * completes the returned {@link Call} just after it learns the outcome:
 *
 * <pre>{@code
 * HistoryRecorder<KvModel.Input<String, String>, Reply<String>> recorder =
 *     new HistoryRecorder<>();
 * // in each client thread:
 * var call = recorder.invoke(clientId, KvModel.put("x", "1"));
 * try {
 *   client.put("x", "1");
 *   call.ok(Reply.ok());
 * } catch (TimeoutException e) {
 *   call.timeout(); // may or may not have taken effect
 * }
 * // at the end:
 * History<...> history = recorder.history();
 * }</pre>
 *
 * <p>Thread-safe. Times come from the clock read under the recorder's lock, so an operation that
 * completed before another was invoked gets the smaller time. The default clock is a counter of
 * events, which is exact and independent of the machine's clock.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class HistoryRecorder<I, O> {
  private final LongSupplier clock;
  private final History.Builder<I, O> builder = History.builder();
  private long eventCount;

  /** Creates a recorder whose times are event sequence numbers. */
  public HistoryRecorder() {
    this.clock = null;
  }

  /**
   * Creates a recorder whose times come from a clock.
   *
   * @param clock a clock that never goes backwards, such as {@code System::nanoTime}
   */
  public HistoryRecorder(LongSupplier clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock is null");
    }
    this.clock = clock;
  }

  /**
   * Records that a client is about to send an operation.
   *
   * @param clientId the client; it must complete this call before it invokes again
   * @param input what it asks for
   * @return the call, to complete when the outcome is known
   * @throws IllegalStateException if the client has a call in flight
   */
  public synchronized Call<I, O> invoke(long clientId, I input) {
    builder.invoke(clientId, input, now());
    return new Call<>(this, clientId);
  }

  /**
   * Returns the history recorded so far; calls in flight count as timed out. Recording may go on.
   *
   * @return an immutable history
   */
  public synchronized History<I, O> history() {
    return builder.build();
  }

  private long now() {
    if (clock == null) {
      return eventCount++;
    }
    long time = clock.getAsLong();
    if (time == Operation.NEVER) {
      throw new IllegalStateException("the clock returned " + Operation.NEVER + ", reserved");
    }
    return time;
  }

  private synchronized void ok(Call<I, O> call, O output) {
    if (output == null) {
      throw new IllegalArgumentException("client " + call.clientId + " got a null output");
    }
    builder.ok(call.take(), output, now());
  }

  private synchronized void fail(Call<I, O> call) {
    builder.fail(call.take(), now());
  }

  private synchronized void timeout(Call<I, O> call) {
    builder.timeout(call.take(), now());
  }

  /**
   * An operation in flight. Complete it once, from any thread, with exactly one of {@link #ok},
   * {@link #fail} or {@link #timeout}; a second completion throws {@link IllegalStateException}.
   *
   * @param <I> the input type
   * @param <O> the output type
   */
  public static final class Call<I, O> {
    private final HistoryRecorder<I, O> recorder;
    private final long clientId;
    private boolean completed; // guarded by the recorder

    private Call(HistoryRecorder<I, O> recorder, long clientId) {
      this.recorder = recorder;
      this.clientId = clientId;
    }

    /**
     * Records that the operation took effect and answered.
     *
     * @param output the answer
     */
    public void ok(O output) {
      recorder.ok(this, output);
    }

    /** Records that the operation definitely did not take effect; it is left out of the history. */
    public void fail() {
      recorder.fail(this);
    }

    /**
     * Records that the client gave up without knowing whether the operation took effect. It may
     * take effect at any time after its invocation, or never.
     */
    public void timeout() {
      recorder.timeout(this);
    }

    /** Marks the call completed and returns its client; a second completion fails loudly. */
    private long take() {
      if (completed) {
        throw new IllegalStateException("client " + clientId + ": this call was completed already");
      }
      completed = true;
      return clientId;
    }
  }
}

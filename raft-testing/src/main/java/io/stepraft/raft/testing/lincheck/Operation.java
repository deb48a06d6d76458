package io.stepraft.raft.testing.lincheck;

/**
 * One client operation of a history: what a client asked for, what it was told, and when.
 *
 * <p>Times are any {@code long} clock shared by all clients: wall-clock nanoseconds, simulator
 * ticks, or the sequence numbers of a {@link HistoryRecorder}. An operation A precedes B in real
 * time when A returned strictly before B was invoked ({@code A.returnTime() < B.invokeTime()});
 * equal times count as concurrent, so a coarse clock can only make the check more lenient, never
 * report a violation that did not happen.
 *
 * <p>An operation whose outcome is unknown (it timed out: it may have taken effect at any time
 * after its invocation, or never, and its answer is lost) has {@code output == null} and {@code
 * returnTime == }{@link #NEVER}. Operations that definitely failed have no place in a history.
 *
 * @param clientId the client (process, thread) that ran it, for reports
 * @param input what the client asked for
 * @param output what the client was told; {@code null} only if the outcome is unknown
 * @param invokeTime when the client sent it
 * @param returnTime when the client got the answer, at or after {@code invokeTime}; {@link #NEVER}
 *     if the outcome is unknown
 * @param <I> the input type
 * @param <O> the output type
 */
public record Operation<I, O>(long clientId, I input, O output, long invokeTime, long returnTime) {
  /** The return time of an operation whose outcome is unknown: after everything else. */
  public static final long NEVER = Long.MAX_VALUE;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the input is null, the times are out of order, or exactly
   *     one of output and return time says "unknown"
   */
  public Operation {
    if (input == null) {
      throw new IllegalArgumentException("an operation needs an input (client " + clientId + ")");
    }
    if (invokeTime == NEVER) {
      throw new IllegalArgumentException("invokeTime " + NEVER + " is reserved: " + input);
    }
    if (returnTime < invokeTime) {
      throw new IllegalArgumentException(
          "returnTime " + returnTime + " < invokeTime " + invokeTime + ": " + input);
    }
    if ((output == null) != (returnTime == NEVER)) {
      throw new IllegalArgumentException(
          "output "
              + output
              + " with returnTime "
              + returnTime
              + ": an unknown outcome has both a null output and returnTime NEVER: "
              + input);
    }
  }

  /**
   * Returns an operation whose outcome is unknown: it timed out, or the client crashed.
   *
   * @param clientId the client that ran it
   * @param input what the client asked for
   * @param invokeTime when the client sent it
   * @param <I> the input type
   * @param <O> the output type
   * @return the operation, with a null output and return time {@link #NEVER}
   */
  public static <I, O> Operation<I, O> timedOut(long clientId, I input, long invokeTime) {
    return new Operation<>(clientId, input, null, invokeTime, NEVER);
  }

  /**
   * Tells whether the client got an answer.
   *
   * @return true if the output is known, false if the operation timed out
   */
  public boolean outcomeKnown() {
    return returnTime != NEVER;
  }

  /** True if this operation returned before {@code other} was invoked. */
  boolean precedes(Operation<?, ?> other) {
    return returnTime < other.invokeTime;
  }

  /** The operation as "input -> output", with "?" for an unknown output. */
  String describe() {
    return input + " -> " + (outcomeKnown() ? output : "? (timed out)");
  }

  /**
   * Returns the operation as a report line shows it.
   *
   * @return for example {@code client 2 [30, 45] get(x) -> 1}
   */
  @Override
  public String toString() {
    String end = outcomeKnown() ? Long.toString(returnTime) : "?";
    return "client " + clientId + " [" + invokeTime + ", " + end + "] " + describe();
  }
}

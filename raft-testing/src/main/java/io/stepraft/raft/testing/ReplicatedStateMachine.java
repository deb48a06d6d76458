package io.stepraft.raft.testing;

import com.google.protobuf.ByteString;

/**
 * The application that a replicated log drives: what users plug into the simulator and the cluster
 * driver to test their own service. It must be deterministic: replicas that apply the same commands
 * in the same order reach the same state and produce the same outputs.
 *
 * <p>Called from one thread at a time; it need not be thread-safe.
 */
public interface ReplicatedStateMachine {
  /**
   * Applies a committed command.
   *
   * @param index the log index of the command; indexes increase, but skip raft's own entries (a new
   *     leader's empty entry, configuration changes) and jump forward across a {@link #restore}
   * @param command the command as proposed
   * @return the output for the client that proposed it
   */
  ByteString apply(long index, ByteString command);

  /**
   * Takes a snapshot of everything applied so far.
   *
   * @return the state, in a form {@link #restore} of any replica accepts
   */
  ByteString snapshot();

  /**
   * Replaces the whole state with a snapshot that {@link #snapshot} took, on this or another
   * replica.
   *
   * @param snapshot the state to take
   */
  void restore(ByteString snapshot);

  /**
   * Answers a read-only query against the state as applied so far; changes nothing.
   *
   * @param query the query
   * @return the answer
   */
  ByteString read(ByteString query);
}

package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.lincheck.Model;
import java.util.SplittableRandom;

/**
 * The application a simulation runs on every node: its state machine, what its clients write and
 * read, and its sequential specification, against which the simulator checks that the history of
 * client operations is linearizable. {@link KeyValueApplication} is the default.
 *
 * <p>The simulator wraps each command in an envelope with a request id and applies every request
 * once (a retried proposal that commits twice is applied once, and its first output is kept), so
 * the state machine sees each command exactly once, in log order, on every node.
 *
 * @param <I> an operation's input: a command or a query
 * @param <O> an operation's output
 */
public interface SimApplication<I, O> {
  /** A state machine for a new node, in the initial state. */
  ReplicatedStateMachine newStateMachine();

  /** The next command a client writes, drawn from {@code random}. */
  I nextCommand(SplittableRandom random);

  /**
   * The next query a client reads, drawn from {@code random}; null if the application reads
   * nothing.
   */
  I nextQuery(SplittableRandom random);

  /** The bytes of an operation, as proposed (a command) or passed to {@code read} (a query). */
  ByteString encode(I input);

  /** The output the state machine returned for {@code input}, decoded. */
  O decodeOutput(I input, ByteString output);

  /**
   * The sequential specification of the application over the same inputs and outputs, or null to
   * skip the linearizability check.
   */
  Model<?, I, O> model();
}

package io.stepraft.raft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.lincheck.Model;
import io.stepraft.raft.testing.sim.SimApplication;
import io.stepraft.raft.testing.sim.SimOptions;
import io.stepraft.raft.testing.sim.SimulationAssertions;
import io.stepraft.raft.testing.sim.SoakResult;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/testing.md's "Simulating your own state machine": a toy counter, run under
 * the simulator over 1000 seeds, its history checked against its model. The code between the
 * markers is the page's, to the letter ({@link #thePageShowsThisCode}).
 */
class CounterSimulationExampleTest {
  // docs:begin
  /** The state machine under test: a counter that commands add to and queries read. */
  static final class Counter implements ReplicatedStateMachine {
    private long value;

    @Override
    public ByteString apply(long index, ByteString command) {
      value += Long.parseLong(command.toStringUtf8()); // a command is the amount to add
      return ByteString.copyFromUtf8(Long.toString(value)); // its output: the new value
    }

    @Override
    public ByteString snapshot() {
      return ByteString.copyFromUtf8(Long.toString(value));
    }

    @Override
    public void restore(ByteString snapshot) {
      value = Long.parseLong(snapshot.toStringUtf8());
    }

    @Override
    public ByteString read(ByteString query) {
      return ByteString.copyFromUtf8(Long.toString(value));
    }
  }

  /** An operation: add {@code amount}, or read (amount null); its output is the counter's value. */
  record Op(Long amount) {}

  /** How clients use the counter, and what they may see (the model the history is checked by). */
  static final class CounterApplication implements SimApplication<Op, Long> {
    @Override
    public ReplicatedStateMachine newStateMachine() {
      return new Counter();
    }

    @Override
    public Op nextCommand(SplittableRandom random) {
      return new Op(1L + random.nextInt(9));
    }

    @Override
    public Op nextQuery(SplittableRandom random) {
      return new Op(null);
    }

    @Override
    public ByteString encode(Op op) {
      return ByteString.copyFromUtf8(op.amount() == null ? "read" : op.amount().toString());
    }

    @Override
    public Long decodeOutput(Op op, ByteString output) {
      return Long.parseLong(output.toStringUtf8());
    }

    @Override
    public Model<Long, Op, Long> model() {
      return new Model<>() {
        @Override
        public Long initialState() {
          return 0L;
        }

        @Override
        public Optional<Long> step(Long value, Op op, Long output) {
          long next = op.amount() == null ? value : value + op.amount();
          return output == next ? Optional.of(next) : Optional.empty();
        }

        @Override
        public boolean readOnly(Op op, Long output) {
          return op.amount() == null; // lets the checker prune its search
        }
      };
    }
  }

  @Test
  void theCounterKeepsEveryCheckUnderAThousandSeeds() {
    SimOptions options = SimOptions.defaults().application(CounterApplication::new);
    SoakResult result = SimulationAssertions.assertSeedsPass(1, 1000, options);
    assertEquals(
        1000, result.totals().linearizable(), "every history was checked and linearizable");
  }

  // docs:end

  @Test
  void thePageShowsThisCode() {
    DocPage.assertSectionShowsCodeOf(
        "## Simulating your own state machine", CounterSimulationExampleTest.class);
  }
}

package io.stepraft.bench.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * etcd's {@code BenchmarkRawNode} (single-voter and two-voters): one proposal through the Ready
 * loop per operation; see {@link ProposalLoop}. After each trial the loop's counters must show the
 * work was done: one Ready or more per operation, and for two voters at least one message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class RawNodeBenchmark {
  /** 1 = single-voter, 2 = two-voters. */
  @Param({"1", "2"})
  public int voters;

  private ProposalLoop loop;

  /** A fresh leader for each trial. */
  @Setup(Level.Trial)
  public void setUp() {
    loop = new ProposalLoop(voters);
  }

  /** One proposal, committed and applied. */
  @Benchmark
  public long propose() {
    return loop.proposeAndStabilize();
  }

  /** Fails the trial if the loop stopped doing its work. */
  @TearDown(Level.Trial)
  public void check() {
    WorkCheck.atLeast("readies per op", loop.readies(), loop.operations(), 1.0);
    WorkCheck.atLeast("messages per op", loop.messages(), loop.operations(), voters - 1.0);
  }
}

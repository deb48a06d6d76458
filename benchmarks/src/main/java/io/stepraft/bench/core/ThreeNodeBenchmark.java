package io.stepraft.bench.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Three nodes in one thread, messages passed in memory ({@link ThreeNodeLoop}): the time per
 * proposal, committed and applied on the leader, in batches of 1 and of 128, with and without
 * protobuf serialization of every message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class ThreeNodeBenchmark {
  /** Whether every message is serialized and parsed on its way. */
  @Param({"false", "true"})
  public boolean serialize;

  private ThreeNodeLoop loop;

  /** A fresh cluster for each trial. */
  @Setup(Level.Trial)
  public void setUp() {
    loop = new ThreeNodeLoop(serialize);
  }

  /** One proposal at a time. */
  @Benchmark
  public long batch1() {
    return loop.proposeBatch(1);
  }

  /** 128 proposals, then delivery; the time is per proposal. */
  @Benchmark
  @OperationsPerInvocation(128)
  public long batch128() {
    return loop.proposeBatch(128);
  }

  /** Fails the trial if the loop stopped doing its work (4 messages per round at the least). */
  @TearDown(Level.Trial)
  public void check() {
    WorkCheck.atLeast("messages per op", loop.messages(), loop.operations(), 4.0);
  }
}

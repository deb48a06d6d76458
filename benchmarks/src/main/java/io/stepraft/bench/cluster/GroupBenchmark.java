package io.stepraft.bench.cluster;

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
 * The cluster benchmarks of a 3-node group in one process, whatever the library: 128-byte commands
 * from one client thread, {@link #closedLoop} (one request outstanding; JMH samples each request's
 * latency) and {@link #pipelined} (128 outstanding; requests per second), on a fresh group in a JVM
 * of its own (a JMH fork per parameter set). A subclass names its libraries in a {@code library}
 * parameter and starts their groups; the report reads every subclass named {@code
 * *ClusterBenchmark} into the same tables. The subclasses live in the benchmarks module ({@link
 * ClusterBenchmark}) and in modules of their own for libraries whose dependencies clash with
 * stepraft's ({@code benchmarks-sofajraft}), which is why this class needs nothing but JMH.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public abstract class GroupBenchmark {
  /** {@code memory}: the log in memory; {@code durable}: on disk, each append fsync'd. */
  @Param({"memory", "durable"})
  public String storage;

  private RaftGroup group;
  private Workload workload;

  /**
   * Starts the group of this benchmark's library and waits for its leader.
   *
   * @param durability where the group keeps its log
   * @return the running group
   * @throws Exception if it does not start
   */
  abstract RaftGroup start(Durability durability) throws Exception;

  /** Starts the group and waits for its leader. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    group = start(Durability.of(storage));
    workload = new Workload(group);
  }

  /** One request outstanding: the latency of each, proposed to the leader until applied there. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void closedLoop() throws Exception {
    workload.closedLoop();
  }

  /** 128 requests outstanding: requests completed per second, in the steady state. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void pipelined() throws Exception {
    workload.pipelined();
  }

  /** Waits for the outstanding requests, fails the trial if any failed, stops the group. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    try {
      if (workload.finish() == 0) {
        throw new IllegalStateException("no request completed");
      }
    } finally {
      group.close();
    }
  }
}

package io.stepraft.bench.core;

import io.stepraft.raft.quorum.AckedIndexer;
import io.stepraft.raft.quorum.MajorityConfig;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * etcd's {@code BenchmarkMajorityConfig_CommittedIndex}: the index a majority of {@code voters}
 * voters acknowledged, each voter at a random index in {@code [0, 2^20)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class QuorumBenchmark {
  /** Voters in the configuration. */
  @Param({"1", "3", "5", "7", "9", "11"})
  public int voters;

  private MajorityConfig config;
  private AckedIndexer acked;

  /** Random acknowledged indexes, fixed for the trial. */
  @Setup(Level.Trial)
  public void setUp() {
    long[] ids = new long[voters];
    long[] indexes = new long[voters + 1];
    SplittableRandom rnd = new SplittableRandom(voters);
    for (int i = 0; i < voters; i++) {
      ids[i] = i + 1;
      indexes[i + 1] = rnd.nextLong(1 << 20);
    }
    config = MajorityConfig.of(ids);
    acked = id -> indexes[(int) id];
  }

  /** The majority's committed index. */
  @Benchmark
  public long committedIndex() {
    return config.committedIndex(acked);
  }
}

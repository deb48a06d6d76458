package io.stepraft.bench.cluster;

import org.openjdk.jmh.annotations.Param;

/**
 * SOFAJRaft's cluster benchmarks: {@link GroupBenchmark}'s workloads, JMH settings and storages on
 * {@link SofaJRaftGroup}. The report puts its results in the same tables as {@link
 * ClusterBenchmark}'s, under the library's name.
 */
public class SofaJRaftClusterBenchmark extends GroupBenchmark {
  /** The library under test, for the results (the report reads it as ClusterBenchmark's). */
  @Param({"sofajraft"})
  public String library;

  @Override
  RaftGroup start(Durability durability) throws Exception {
    return SofaJRaftGroup.start(durability);
  }
}

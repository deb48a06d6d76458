package io.stepraft.bench.cluster;

import org.openjdk.jmh.annotations.Param;

/**
 * The cluster benchmarks ({@link GroupBenchmark}) of stepraft and of the peers that share its
 * dependencies: a 3-node group of one library in one process, each library and storage in a JVM of
 * its own. SOFAJRaft's are {@code SofaJRaftClusterBenchmark}, in the {@code benchmarks-sofajraft}
 * module.
 */
public class ClusterBenchmark extends GroupBenchmark {
  /** The library under test. */
  @Param({"stepraft", "microraft", "ratis", "ratis-grpc", "jgroups-raft"})
  public String library;

  @Override
  RaftGroup start(Durability durability) throws Exception {
    return Groups.start(library, durability);
  }
}

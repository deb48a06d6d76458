package io.stepraft.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SOFAJRaft's group under both workloads, briefly, with its log in memory and in RocksDB. */
@Timeout(120)
class SofaJRaftWorkloadTest {
  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyRequestCompletes(Durability durability) throws Exception {
    try (RaftGroup group = SofaJRaftGroup.start(durability)) {
      Workload workload = new Workload(group);
      for (int i = 0; i < 100; i++) {
        workload.closedLoop();
      }
      for (int i = 0; i < 5000; i++) {
        workload.pipelined();
      }
      assertEquals(5100, workload.finish());
    }
  }
}

package io.stepraft.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** stepraft's cluster workloads run briefly, in memory and on the WAL (what `mvn verify` runs). */
@Timeout(60)
class ClusterWorkloadTest {
  @ParameterizedTest
  @EnumSource(Durability.class)
  void closedLoopAndPipelineCompleteEveryRequest(Durability durability) throws Exception {
    try (RaftGroup group = Groups.start("stepraft", durability)) {
      Workload workload = new Workload(group);
      for (int i = 0; i < 100; i++) {
        workload.closedLoop();
      }
      for (int i = 0; i < 1000; i++) {
        workload.pipelined();
      }
      assertEquals(1100, workload.finish());
    }
  }
}

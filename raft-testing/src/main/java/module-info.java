/**
 * stepraft's test kit: a deterministic cluster simulator, an in-process cluster driver, a
 * linearizability checker and data-driven interaction tests, for testing services built on
 * stepraft. Depend on it with test scope.
 */
module io.stepraft.raft.testing {
  requires transitive io.stepraft.raft;
  requires transitive org.junit.jupiter.api;
  requires org.slf4j;

  exports io.stepraft.raft.testing;
  exports io.stepraft.raft.testing.cluster;
  exports io.stepraft.raft.testing.sim;
  exports io.stepraft.raft.testing.interaction;
  exports io.stepraft.raft.testing.lincheck;
}

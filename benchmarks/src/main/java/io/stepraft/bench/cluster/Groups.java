package io.stepraft.bench.cluster;

/** Starts the group of the library a benchmark parameter names. */
final class Groups {
  private Groups() {}

  /**
   * Starts a 3-node group of {@code library} with {@code durability} and waits until it has a
   * leader.
   *
   * @param library one of the names of {@link ClusterBenchmark#library}
   * @param durability where its log is kept
   * @return the running group
   * @throws Exception if it does not start
   */
  static RaftGroup start(String library, Durability durability) throws Exception {
    return switch (library) {
      case "stepraft" -> StepraftGroup.start(durability);
      case "microraft" -> MicroRaftGroup.start(durability);
      case "ratis" -> RatisGroup.start(durability, false);
      case "ratis-grpc" -> RatisGroup.start(durability, true);
      case "jgroups-raft" -> JGroupsRaftGroup.start(durability);
      default -> throw new IllegalArgumentException("unknown library " + library);
    };
  }
}

package io.stepraft.bench.cluster;

/** Where a group under test keeps its Raft log. */
enum Durability {
  /** In memory: nothing is written to disk. */
  MEMORY,
  /** On disk under a temporary directory, each append fsync'd before it is acknowledged. */
  DURABLE;

  /** The benchmark parameter's value, {@code memory} or {@code durable}. */
  static Durability of(String param) {
    return valueOf(param.toUpperCase(java.util.Locale.ROOT));
  }
}

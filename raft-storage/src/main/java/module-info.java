/**
 * stepraft's durable storage: a write-ahead log and snapshot files under a data directory, and
 * {@link io.stepraft.raft.storage.DurableStorage}, which persists each {@code Ready} and rebuilds a
 * {@code MemoryStorage} from disk at restart. Only the API package is exported.
 */
module io.stepraft.raft.storage {
  requires transitive io.stepraft.raft;
  requires org.slf4j;

  exports io.stepraft.raft.storage;
}

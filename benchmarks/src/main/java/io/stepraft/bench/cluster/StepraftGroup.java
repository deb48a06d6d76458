package io.stepraft.bench.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.cluster.LocalCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * stepraft's group: raft-testing's {@link LocalCluster} (a thread per node, an in-memory transport
 * that passes messages without serializing them), on MemoryStorage or on raft-storage's WAL. On the
 * WAL each node writes on a storage thread of its own (the driver's asynchronous storage writes),
 * so that a leader's fsync runs while its followers do theirs; in memory there is no fsync to
 * overlap and the node's thread saves each Ready itself (a thread handoff fewer per write). The
 * driver's defaults otherwise: 10 ms ticks, 10 election ticks, a snapshot every 10,000 entries.
 */
final class StepraftGroup implements RaftGroup {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final LocalCluster cluster;
  private final TempDir dir;
  private final long leader;

  private StepraftGroup(LocalCluster cluster, TempDir dir, long leader) {
    this.cluster = cluster;
    this.dir = dir;
    this.leader = leader;
  }

  static StepraftGroup start(Durability durability) throws Exception {
    TempDir dir = durability == Durability.DURABLE ? new TempDir("stepraft-bench") : null;
    LocalCluster.Builder builder =
        LocalCluster.builder()
            .name("bench")
            .stateMachine(id -> new CounterMachine())
            .asyncStorageWrites(durability == Durability.DURABLE);
    if (dir != null) {
      builder.storage(DurableProvider.under(dir.path));
    }
    LocalCluster cluster = builder.start();
    try {
      return new StepraftGroup(cluster, dir, cluster.awaitLeader(START_TIMEOUT));
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<?> propose(byte[] command) {
    return cluster.propose(leader, ByteString.copyFrom(command));
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      if (dir != null) {
        dir.close();
      }
    }
  }
}

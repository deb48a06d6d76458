package io.stepraft.bench.cluster;

import java.util.concurrent.CompletableFuture;

/**
 * A 3-node Raft group of one library, all in this JVM, as the cluster benchmarks drive it: a client
 * proposes commands to the leader and learns when each is committed and applied there.
 * Implementations must accept proposals from one thread while earlier ones are in flight.
 */
interface RaftGroup extends AutoCloseable {
  /**
   * Proposes {@code command} to the leader.
   *
   * @param command the command, not retained after the call
   * @return completes when the command is committed and applied on the leader, exceptionally if the
   *     library reports it failed
   */
  CompletableFuture<?> propose(byte[] command);

  /** Stops every node and releases their resources (and deletes their data directories). */
  @Override
  void close() throws Exception;
}

/**
 * An in-process cluster driver: {@link io.stepraft.raft.testing.cluster.LocalCluster} runs N nodes
 * in one JVM, one thread per node, each driving its {@link io.stepraft.raft.RawNode} by the Ready
 * contract with a wall-clock tick, over an in-memory {@link
 * io.stepraft.raft.testing.cluster.Network} with injectable faults and a {@link
 * io.stepraft.raft.testing.cluster.NodeStorage} per node that survives crashes. For integration
 * tests of services built on stepraft and for throughput and latency benchmarks; deterministic
 * tests belong in the simulator, which drives time by ticks.
 *
 * <p>Threads: each node's thread alone touches its raft node and state machine, and its storage
 * unless {@link io.stepraft.raft.testing.cluster.LocalCluster.Builder#asyncStorageWrites} gives the
 * node a storage thread, which then alone touches the storage. Client calls hand requests to a node
 * through bounded lock-free queues; senders put messages on bounded per-link queues that the
 * receiver's thread drains. Nothing else runs in the background.
 */
package io.stepraft.raft.testing.cluster;

/**
 * stepraft's test kit: the pieces that the simulator, the cluster driver and the tests of every
 * stepraft module share. This package holds the kit for stepped tests, which decide every tick,
 * delivery and storage write themselves: {@link io.stepraft.raft.testing.StepNode} (one node and
 * its host), {@link io.stepraft.raft.testing.StepCluster} (nodes on a network), builders for state
 * made by hand ({@link io.stepraft.raft.testing.Entries}, {@link
 * io.stepraft.raft.testing.Snapshots}, {@link io.stepraft.raft.testing.Storages}, {@link
 * io.stepraft.raft.testing.ConfStates}, {@link io.stepraft.raft.testing.MembershipChanges}, {@link
 * io.stepraft.raft.testing.Messages}) and {@link io.stepraft.raft.testing.LogAssertions}; see the
 * section "Stepped tests" of docs/testing.md. The subpackages hold the simulator, the cluster
 * driver, the linearizability checker and the interaction tests.
 */
package io.stepraft.raft.testing;

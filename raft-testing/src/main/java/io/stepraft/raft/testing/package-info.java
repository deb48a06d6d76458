/**
 * stepraft's test kit: the pieces that the simulator, the cluster driver and the tests of every
 * stepraft module share. The subpackages hold the simulator, the cluster driver, the
 * linearizability checker and the interaction tests.
 */
package io.stepraft.raft.testing;

package io.stepraft.raft.testing.cluster;

/**
 * Every scenario of {@link LocalClusterTest} with asynchronous storage writes: each node saves on a
 * storage thread of its own and delivers the acknowledgements of a write once it is done.
 */
class LocalClusterAsyncWritesTest extends LocalClusterTest {
  @Override
  boolean asyncStorageWrites() {
    return true;
  }
}

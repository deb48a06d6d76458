package io.stepraft.raft.quorum;

/**
 * Looks up how far each voter has acknowledged the leader's log.
 *
 * <p>Implementations are called once per voter for every commit computation, so they should answer
 * without allocating.
 */
@FunctionalInterface
public interface AckedIndexer {
  /**
   * Returns the highest log index that {@code voterId} has acknowledged.
   *
   * @param voterId the id of a voter
   * @return the acknowledged index, or 0 when nothing is known about the voter
   */
  long ackedIndex(long voterId);
}

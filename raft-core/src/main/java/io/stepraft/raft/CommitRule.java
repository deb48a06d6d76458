package io.stepraft.raft;

/**
 * Decides how far a leader may move its commit index once a quorum holds the log up to an index.
 * Production nodes use {@link #CURRENT_TERM_ONLY}; the simulator's planted-bug tests pass a broken
 * rule (through {@link CoreParts}) to show that its checkers notice.
 */
@FunctionalInterface
interface CommitRule {
  /**
   * The rule of §5.4.2 of the Raft paper (Figure 8): an index a quorum holds is committed by
   * counting replicas only if its entry is of the leader's term; earlier entries commit with it.
   */
  CommitRule CURRENT_TERM_ONLY = (log, quorumIndex, term) -> log.maybeCommit(quorumIndex, term);

  /**
   * Moves the log's commit index if the rule allows it.
   *
   * @param log the leader's log
   * @param quorumIndex the highest index a quorum of voters holds
   * @param term the leader's term
   * @return whether the commit index moved
   */
  boolean maybeCommit(RaftLog log, long quorumIndex, long term);
}

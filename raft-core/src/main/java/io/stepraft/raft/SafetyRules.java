package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;

/**
 * The rules of Raft whose breach loses data or splits the brain, each in one method, so that a
 * reader finds them in one place. Every production node uses {@link #STANDARD}. The simulator's
 * planted-bug tests build nodes with a subclass that breaks one rule (through {@link CoreParts}),
 * to show that its checkers notice; that is why this class is not final.
 */
class SafetyRules {
  /** The rules as the Raft paper and etcd's raft state them. */
  static final SafetyRules STANDARD = new SafetyRules();

  /**
   * §5.1: a message of an earlier term is stale. It is not handled (its sender may be answered with
   * the current term); in particular an acknowledgement of an earlier term counts for nothing,
   * since the entries it acknowledges may have been replaced since.
   */
  boolean isStale(Message m, long term) {
    return m.getTerm() < term;
  }

  /**
   * §5.2 and §9.6 of Ongaro's thesis: whether this node may grant the vote or pre-vote that {@code
   * m} asks for, as far as its own vote goes (the candidate's log is checked apart). A node votes
   * at most once per term: it repeats a vote it cast, votes if it has not voted and knows no
   * leader, and grants pre-votes for a later term.
   */
  boolean mayVote(Raft r, Message m) {
    return r.vote == m.getFrom()
        || (r.vote == NONE && r.lead == NONE)
        || (m.getType() == MessageType.MsgPreVote && m.getTerm() > r.term);
  }

  /**
   * §5.4.2 (Figure 8): the leader commits by counting replicas only an index whose entry is of its
   * own term, and only what a quorum of each half of a joint configuration holds; earlier entries
   * commit with it.
   *
   * @return whether the commit index moved
   */
  boolean maybeCommit(RaftLog log, ProgressTracker trk, long term) {
    return log.maybeCommit(trk.committed(), term);
  }

  /**
   * §5.3: where the leader's entries {@code ents} first differ from the follower's log (by index
   * and term); from there the follower's entries are replaced. 0 if every entry matches.
   */
  long findConflict(RaftLog log, List<Entry> ents) {
    return log.findConflict(ents);
  }

  /**
   * §6.4 of Ongaro's thesis: a leader answers reads only once it has committed an entry of its
   * term; until then its commit index may lag what an earlier leader committed.
   */
  boolean mayAnswerReads(RaftLog log, long term) {
    return log.termOrZero(log.committed()) == term;
  }
}

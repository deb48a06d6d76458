package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;
import java.util.function.Function;

/**
 * Nodes with a bug planted in the core, built from the test side through {@link RawNode}'s
 * package-private constructor with broken {@link SafetyRules} (or a broken read queue): the
 * simulator runs them (see {@code SimOptions.nodeFactory}) to show that its checkers catch real
 * core bugs. Each breaks one rule and nothing else.
 */
public final class PlantedBugs {
  private PlantedBugs() {}

  private static Function<Config, RawNode> with(SafetyRules broken) {
    return c -> new RawNode(c, CoreParts.STANDARD.withRules(broken));
  }

  /** The leader commits entries of earlier terms by counting replicas (Figure 8). */
  public static Function<Config, RawNode> commitByCounting() {
    return with(
        new SafetyRules() {
          @Override
          boolean maybeCommit(RaftLog log, ProgressTracker trk, long term) {
            long quorumIndex = trk.committed();
            return log.maybeCommit(quorumIndex, log.termOrZero(quorumIndex));
          }
        });
  }

  /**
   * The leader counts acknowledgements (MsgAppResp) of earlier terms: entries a follower held then
   * may have been replaced since.
   */
  public static Function<Config, RawNode> staleTermAcknowledgements() {
    return with(
        new SafetyRules() {
          @Override
          boolean isStale(Message m, long term) {
            return m.getTerm() < term && m.getType() != MessageType.MsgAppResp;
          }
        });
  }

  /** In a joint configuration the leader commits what a quorum of the incoming half holds. */
  public static Function<Config, RawNode> oneHalfJointQuorum() {
    return with(
        new SafetyRules() {
          @Override
          boolean maybeCommit(RaftLog log, ProgressTracker trk, long term) {
            long incoming =
                trk.voters()
                    .incoming()
                    .committedIndex(
                        id -> {
                          Progress p = trk.progress(id);
                          return p == null ? 0 : p.match();
                        });
            return log.maybeCommit(incoming, term);
          }
        });
  }

  /** A node grants its vote to any candidate while it knows no leader, even after voting. */
  public static Function<Config, RawNode> voteReuse() {
    return with(
        new SafetyRules() {
          @Override
          boolean mayVote(Raft r, Message m) {
            return r.lead == Raft.NONE
                || (m.getType() == MessageType.MsgPreVote && m.getTerm() > r.term);
          }
        });
  }

  /**
   * A follower keeps its conflicting entries: it compares the leader's entries by index only, so it
   * appends past its log but never replaces an entry of another term.
   */
  public static Function<Config, RawNode> keepConflictingEntries() {
    return with(
        new SafetyRules() {
          @Override
          long findConflict(RaftLog log, List<Entry> ents) {
            for (Entry e : ents) {
              if (e.getIndex() > log.lastIndex()) {
                return e.getIndex();
              }
            }
            return 0;
          }
        });
  }

  /** A new leader answers reads before it committed an entry of its term. */
  public static Function<Config, RawNode> readsBeforeTheFirstCommit() {
    return with(
        new SafetyRules() {
          @Override
          boolean mayAnswerReads(RaftLog log, long term) {
            return true;
          }
        });
  }

  /**
   * The leader confirms reads by the host's context (see {@link ContextKeyedReadQueue}): a late
   * acknowledgement of an earlier round confirms reads queued after it was sent.
   */
  public static Function<Config, RawNode> contextKeyedReads() {
    return c -> new RawNode(c, CoreParts.STANDARD.withReadQueue(ContextKeyedReadQueue::new));
  }
}

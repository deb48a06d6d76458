package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.HashMap;
import java.util.Map;

/**
 * Election safety (at most one leader per term) and its premise, one vote per node and term. Votes
 * are taken from what is durable (a vote lost in a crash before it was synced was never sent, so
 * the node may vote again) and from the grants a node sends.
 */
final class ElectionChecker {
  private record NodeTerm(long node, long term) {}

  private final Checks checks;
  private final Map<Long, Long> leaders = new HashMap<>();
  private final Map<NodeTerm, Long> votes = new HashMap<>();

  ElectionChecker(Checks checks) {
    this.checks = checks;
  }

  /** {@code node} reported that it became leader in {@code term}. */
  void onLeader(long node, long term) {
    Long prev = leaders.putIfAbsent(term, node);
    if (prev != null && prev != node) {
      checks.fail(
          Check.ELECTION_SAFETY,
          "nodes " + prev + " and " + node + " both became leader in term " + term);
    }
  }

  /** The number of terms that had a leader. */
  int leaderTerms() {
    return leaders.size();
  }

  /** A message leaves {@code m.from}. */
  void onSend(Message m) {
    if (m.getType() == MessageType.MsgVoteResp && !m.getReject()) {
      vote(m.getFrom(), m.getTerm(), m.getTo(), "sent a grant");
    }
  }

  /** A hard state became durable on {@code node}. */
  void onDurable(long node, HardState hs) {
    if (hs.getVote() != 0) {
      vote(node, hs.getTerm(), hs.getVote(), "synced its vote");
    }
  }

  private void vote(long node, long term, long candidate, String how) {
    Long prev = votes.putIfAbsent(new NodeTerm(node, term), candidate);
    if (prev != null && prev != candidate) {
      checks.fail(
          Check.SINGLE_VOTE,
          "node "
              + node
              + " voted for "
              + prev
              + " and "
              + how
              + " for "
              + candidate
              + " in term "
              + term);
    }
  }
}

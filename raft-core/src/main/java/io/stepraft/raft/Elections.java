package io.stepraft.raft;

import static io.stepraft.raft.Raft.hex;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.quorum.VoteResult;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;

/**
 * Elections (§5.2, §5.4.1, and the PreVote and leadership-transfer refinements): granting votes,
 * starting a campaign, counting the answers.
 */
final class Elections {
  private final Raft r;

  Elections(Raft raft) {
    this.r = raft;
  }

  /**
   * Answers a vote or pre-vote request that passed the term rules (§5.2, §5.4.1): grant it if we
   * may still vote in its term and the candidate's log is at least as up to date as ours. May
   * change: our vote (a real vote only) and election timer. The answer leaves once the vote is
   * durable.
   */
  void handleVoteRequest(Message m) {
    MessageType respType =
        m.getType() == MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
    // We may vote if this repeats a vote we cast, if we have not voted and know no leader in this
    // term, or if this is a pre-vote for a future term...
    boolean canVote = r.rules.mayVote(r, m);
    // ...and the candidate's log is at least as up to date as ours (§5.4.1).
    if (canVote && r.raftLog.isUpToDate(m.getIndex(), m.getLogTerm())) {
      r.logger.info(
          "{} [logterm: {}, index: {}, vote: {}] cast {} for {} [logterm: {}, index: {}] at term"
              + " {}",
          hex(r.id),
          r.raftLog.lastTerm(),
          r.raftLog.lastIndex(),
          hex(r.vote),
          m.getType(),
          hex(m.getFrom()),
          m.getLogTerm(),
          m.getIndex(),
          r.term);
      // The response carries the candidate's term: for a pre-vote that is our future term.
      r.send(Message.newBuilder().setTo(m.getFrom()).setTerm(m.getTerm()).setType(respType));
      if (m.getType() == MessageType.MsgVote) {
        r.grantVote(m.getFrom());
      }
    } else {
      r.logger.info(
          "{} [logterm: {}, index: {}, vote: {}] rejected {} from {} [logterm: {}, index: {}] at"
              + " term {}",
          hex(r.id),
          r.raftLog.lastTerm(),
          r.raftLog.lastIndex(),
          hex(r.vote),
          m.getType(),
          hex(m.getFrom()),
          m.getLogTerm(),
          m.getIndex(),
          r.term);
      r.send(
          Message.newBuilder()
              .setTo(m.getFrom())
              .setTerm(r.term)
              .setType(respType)
              .setReject(true));
    }
  }

  enum CampaignType {
    PRE_ELECTION,
    ELECTION,
    TRANSFER
  }

  /**
   * Starts a campaign (MsgHup, or MsgTimeoutNow for a transfer) unless this node may not lead: it
   * leads already, is not a voter, restores a snapshot, or has configuration changes to apply.
   */
  void hup(CampaignType t) {
    if (r.role == Role.LEADER) {
      r.logger.debug("{} ignoring MsgHup because already leader", hex(r.id));
      return;
    }
    if (!r.promotable()) {
      r.logger.warn("{} is unpromotable and can not campaign", hex(r.id));
      return;
    }
    if (hasUnappliedConfChanges()) {
      r.logger.warn(
          "{} cannot campaign at term {} since there are still pending configuration changes to"
              + " apply",
          hex(r.id),
          r.term);
      return;
    }
    if (r.term == Long.MAX_VALUE) {
      // The next term would wrap to a negative number and then lose to any positive one: terms
      // must never go back. Only a corrupt or forged message can bring a term this far.
      r.logger.error("{} cannot campaign: term {} is the largest there is", hex(r.id), r.term);
      return;
    }
    r.logger.info("{} is starting a new election at term {}", hex(r.id), r.term);
    campaign(t);
  }

  /**
   * Whether configuration changes this node has not applied forbid it to campaign now: it would
   * count votes, and then commit, in a configuration that is not the cluster's.
   *
   * <ul>
   *   <li>A committed but unapplied change: the configuration is about to change.
   *   <li>Two or more unapplied changes in the log. A leader appends a change only once every
   *       earlier one is applied (unless validation is off), so every change but the last is
   *       committed, even if this node lost track of it: its commit index is not always durable.
   *       Its configuration may then be two changes behind the cluster's, and quorums of the two
   *       may be disjoint. The node raises its commit index to the second-to-last change, so that
   *       the host applies the changes, and campaigns at a later timeout.
   * </ul>
   */
  private boolean hasUnappliedConfChanges() {
    long hi = r.disableConfChangeValidation ? r.raftLog.committed() : r.raftLog.lastIndex();
    long lo = r.raftLog.applied() + 1;
    long lastChange = 0;
    long provenCommitted = 0;
    while (lo <= hi) {
      List<Entry> page = r.raftLog.slice(lo, hi + 1, r.raftLog.maxApplyingEntsSizeBytes);
      for (Entry e : page) {
        if (e.getType() == EntryType.EntryNormal) {
          continue;
        }
        if (e.getIndex() <= r.raftLog.committed()) {
          return true;
        }
        if (lastChange != 0) {
          provenCommitted = lastChange;
        }
        lastChange = e.getIndex();
      }
      lo += page.size();
    }
    if (provenCommitted == 0) {
      return false;
    }
    r.logger.info(
        "{} commit index {} lags the configuration change at {}, which a later change proves"
            + " committed",
        hex(r.id),
        r.raftLog.committed(),
        provenCommitted);
    r.raftLog.commitTo(provenCommitted);
    return true;
  }

  /** Becomes (pre-)candidate and asks every voter, itself included, for its vote. */
  void campaign(CampaignType t) {
    MessageType voteMsg;
    long voteTerm;
    if (t == CampaignType.PRE_ELECTION) {
      r.becomePreCandidate();
      voteMsg = MessageType.MsgPreVote;
      voteTerm = r.term + 1; // pre-votes are asked for the term we would campaign in
    } else {
      r.becomeCandidate();
      voteMsg = MessageType.MsgVote;
      voteTerm = r.term;
    }
    MessageType respType =
        voteMsg == MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
    long lastIndex = r.raftLog.lastIndex();
    long lastTerm = r.raftLog.lastTerm();
    for (long voter : r.trk.voters().ids()) {
      if (voter == r.id) {
        // Our own vote counts once it is durable: it comes back through msgsAfterAppend.
        r.send(Message.newBuilder().setTo(r.id).setTerm(voteTerm).setType(respType));
        continue;
      }
      r.logger.info(
          "{} [logterm: {}, index: {}] sent {} request to {} at term {}",
          hex(r.id),
          lastTerm,
          lastIndex,
          voteMsg,
          hex(voter),
          r.term);
      Message.Builder b =
          Message.newBuilder()
              .setTo(voter)
              .setTerm(voteTerm)
              .setType(voteMsg)
              .setIndex(lastIndex)
              .setLogTerm(lastTerm);
      if (t == CampaignType.TRANSFER) {
        b.setContext(Raft.CAMPAIGN_TRANSFER);
      }
      r.send(b);
    }
  }

  /** Records a vote answer and tallies the campaign. */
  VoteResult poll(long from, MessageType t, boolean granted) {
    r.logger.info(
        "{} received {} {} from {} at term {}",
        hex(r.id),
        t,
        granted ? "" : "rejection",
        hex(from),
        r.term);
    r.trk.recordVote(from, granted);
    ProgressTracker.TallyResult tally = r.trk.tallyVotes();
    r.logger.info(
        "{} has received {} {} votes and {} vote rejections",
        hex(r.id),
        tally.granted(),
        t,
        tally.rejected());
    return tally.result();
  }
}

package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.quorum.VoteResult;

/**
 * What pre-candidates and candidates do (§5.2 and the PreVote refinement of §9.6 of Ongaro's
 * thesis): count the answers to their campaign, give way to a leader of their term, and refuse what
 * only a follower or a leader can handle. Vote requests from others are answered by {@link
 * Elections} in every role.
 */
final class CandidateRole {
  private final Raft r;
  private final FollowerRole follower;

  CandidateRole(Raft raft, FollowerRole follower) {
    this.r = raft;
    this.follower = follower;
  }

  /**
   * Handles a message of the candidate's term (or a local one). May change: the role (to follower,
   * or on to candidate or leader), and through the vote count the election's outcome.
   */
  void step(Message m) {
    switch (m.getType()) {
      case MsgProp ->
          throw new ProposalDroppedException(
              ProposalDroppedException.Reason.ELECTION_IN_PROGRESS,
              hex(r.id) + " is campaigning at term " + r.term);
      case MsgApp, MsgHeartbeat, MsgSnap -> {
        // §5.2: a leader of our term won the election; follow it and handle its message so.
        r.becomeFollower(m.getTerm(), m.getFrom());
        follower.step(m);
      }
      case MsgTimeoutNow ->
          r.logger.debug(
              "{} [term {} state {}] ignored MsgTimeoutNow from {}",
              hex(r.id),
              r.term,
              r.role,
              hex(m.getFrom()));
      case MsgReadIndex -> {
        // A local request learns at once that it was not accepted; a forwarded one is dropped and
        // its node times it out.
        if (m.getFrom() == NONE || m.getFrom() == r.id) {
          throw new ReadIndexDroppedException(hex(r.id) + " is campaigning at term " + r.term);
        }
      }
      case MsgVoteResp, MsgPreVoteResp -> {
        // Only answers to the current campaign count: a candidate may still receive pre-vote
        // answers from its pre-candidate phase in the same term.
        MessageType expected =
            r.role == Role.PRE_CANDIDATE ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        if (m.getType() == expected) {
          handleVoteResponse(m);
        } else {
          r.logger.debug(
              "{} {} ignored {} from {}", hex(r.id), r.role, m.getType(), hex(m.getFrom()));
        }
      }
      default ->
          r.logger.debug(
              "{} candidate ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
    }
  }

  /**
   * Counts a vote. A quorum of grants moves a pre-candidate on to a real campaign and makes a
   * candidate leader; a quorum of rejections ends the campaign (the node follows, in its own term:
   * a pre-vote rejection does not raise it).
   */
  private void handleVoteResponse(Message m) {
    VoteResult res = r.elections.poll(m.getFrom(), m.getType(), !m.getReject());
    if (res == VoteResult.WON) {
      if (r.role == Role.PRE_CANDIDATE) {
        r.elections.campaign(Elections.CampaignType.ELECTION);
      } else {
        r.becomeLeader();
        r.leaderRole.bcastAppend();
      }
    } else if (res == VoteResult.LOST) {
      r.becomeFollower(r.term, NONE);
    }
  }
}

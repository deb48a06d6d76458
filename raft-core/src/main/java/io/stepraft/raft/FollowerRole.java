package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.quorum.VoteResult;

/**
 * What followers, pre-candidates and candidates do: accept the leader's log, forward what only
 * the leader can handle, and count votes.
 */
final class FollowerRole {
  private final Raft r;

  FollowerRole(Raft raft) {
    this.r = raft;
  }

  void stepFollower(Message m) {
    switch (m.getType()) {
      case MsgProp -> {
        if (r.lead == NONE) {
          throw new ProposalDroppedException(ProposalDroppedException.Reason.NO_LEADER,
              hex(r.id) + " knows no leader at term " + r.term);
        }
        if (r.disableProposalForwarding) {
          throw new ProposalDroppedException(ProposalDroppedException.Reason.FORWARDING_DISABLED,
              hex(r.id) + " does not forward to leader " + hex(r.lead) + " at term " + r.term);
        }
        r.send(m.toBuilder().setTo(r.lead));
      }
      case MsgApp -> {
        r.electionElapsedTicks = 0;
        r.lead = m.getFrom();
        handleAppendEntries(m);
      }
      case MsgHeartbeat -> {
        r.electionElapsedTicks = 0;
        r.lead = m.getFrom();
        handleHeartbeat(m);
      }
      case MsgSnap -> {
        r.electionElapsedTicks = 0;
        r.lead = m.getFrom();
        handleSnapshot(m);
      }
      case MsgTransferLeader -> forwardToLeader(m, "leader transfer msg");
      case MsgReadIndex -> forwardToLeader(m, "index reading msg");
      case MsgForgetLeader -> {
        if (r.readOnly.option() == ReadOnlyOption.LEASE_BASED) {
          r.logger.error("{} ignoring MsgForgetLeader due to ReadOnlyLeaseBased", hex(r.id));
          return;
        }
        if (r.lead != NONE) {
          r.logger.info("{} forgetting leader {} at term {}", hex(r.id), hex(r.lead), r.term);
          r.lead = NONE;
        }
      }
      case MsgTimeoutNow -> {
        if (m.getFrom() != r.lead && r.trk.progress(m.getFrom()) == null) {
          // Only our leader (possibly one that removed itself) or a member may hand leadership over.
          r.logger.warn("{} ignored MsgTimeoutNow from {}, neither its leader nor a member", hex(r.id), hex(m.getFrom()));
          return;
        }
        r.logger.info("{} [term {}] received MsgTimeoutNow from {} and starts an election to get leadership",
            hex(r.id), r.term, hex(m.getFrom()));
        // A transfer never pre-votes: the cluster is healthy and the leader asked for it.
        r.elections.hup(Elections.CampaignType.TRANSFER);
      }
      case MsgReadIndexResp -> {
        if (m.getEntriesCount() != 1) {
          r.logger.error("{} invalid format of MsgReadIndexResp from {}, entries count: {}",
              hex(r.id), hex(m.getFrom()), m.getEntriesCount());
          return;
        }
        r.readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData().toByteArray()));
      }
      default -> r.logger.debug("{} follower ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
    }
  }

  private boolean isLocal(Message m) {
    return m.getFrom() == NONE || m.getFrom() == r.id;
  }

  private void forwardToLeader(Message m, String what) {
    if (r.lead == NONE) {
      r.logger.info("{} no leader at term {}; dropping {}", hex(r.id), r.term, what);
      if (m.getType() == MessageType.MsgReadIndex && isLocal(m)) {
        throw new ReadIndexDroppedException(hex(r.id) + " knows no leader at term " + r.term);
      }
      return;
    }
    // A request from the network carries its sender's term; send() stamps ours.
    r.send(m.toBuilder().setTo(r.lead).clearTerm());
  }

  void stepCandidate(Message m) {
    // Only responses to the current candidacy count: a candidate may still receive pre-vote
    // responses from its pre-candidate phase in the same term.
    MessageType myVoteResp = r.role == Role.PRE_CANDIDATE ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
    switch (m.getType()) {
      case MsgProp -> throw new ProposalDroppedException(ProposalDroppedException.Reason.ELECTION_IN_PROGRESS,
          hex(r.id) + " is campaigning at term " + r.term);
      case MsgApp -> {
        r.becomeFollower(m.getTerm(), m.getFrom()); // m.term == r.term: a leader won this term
        handleAppendEntries(m);
      }
      case MsgHeartbeat -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        handleHeartbeat(m);
      }
      case MsgSnap -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        handleSnapshot(m);
      }
      case MsgTimeoutNow -> r.logger.debug("{} [term {} state {}] ignored MsgTimeoutNow from {}",
          hex(r.id), r.term, r.role, hex(m.getFrom()));
      case MsgReadIndex -> {
        // A local request learns at once that it was not accepted; a forwarded one is dropped and
        // its node times it out.
        if (isLocal(m)) {
          throw new ReadIndexDroppedException(hex(r.id) + " is campaigning at term " + r.term);
        }
      }
      default -> {
        if (m.getType() == myVoteResp) {
          handleVoteResponse(m);
        } else {
          r.logger.debug("{} candidate ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
        }
      }
    }
  }

  private void handleVoteResponse(Message m) {
    VoteResult res = r.elections.poll(m.getFrom(), m.getType(), !m.getReject());
    if (res == VoteResult.WON) {
      if (r.role == Role.PRE_CANDIDATE) {
        r.elections.campaign(Elections.CampaignType.ELECTION);
      } else {
        r.becomeLeader();
        r.bcastAppend();
      }
    } else if (res == VoteResult.LOST) {
      // A pre-vote response carries our future term; keep ours.
      r.becomeFollower(r.term, NONE);
    }
  }

  // ---------------------------------------------------------------- the leader's log

  /**
   * The consistency check of §5.3: accept the entries if our log holds the entry before them
   * with the same term, otherwise reject with a hint where the logs may match.
   */
  private void handleAppendEntries(Message m) {
    if (m.getIndex() < r.raftLog.committed()) {
      // Everything up to our commit index is known to match: say how far we are.
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(r.raftLog.committed()));
      return;
    }
    long lastNew = r.raftLog.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
    if (lastNew >= 0) {
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(lastNew));
      return;
    }
    // Our log does not match at m.index. Hint the largest index at or below it whose term is
    // <= m.logTerm: every entry above it in our log has a term the leader cannot match there.
    long hintIndex = Math.min(m.getIndex(), r.raftLog.lastIndex());
    hintIndex = r.raftLog.findConflictByTerm(hintIndex, m.getLogTerm());
    long hintTerm = r.raftLog.termOrZero(hintIndex);
    r.logger.debug("{} [logterm: {}, index: {}] rejected MsgApp [logterm: {}, index: {}] from {}",
        hex(r.id), r.raftLog.termOrZero(m.getIndex()), m.getIndex(), m.getLogTerm(), m.getIndex(), hex(m.getFrom()));
    r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(m.getIndex())
        .setReject(true).setRejectHint(hintIndex).setLogTerm(hintTerm));
  }

  private void handleHeartbeat(Message m) {
    r.raftLog.commitTo(m.getCommit());
    Message.Builder resp = Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgHeartbeatResp);
    if (!m.getContext().isEmpty()) {
      resp.setContext(m.getContext());
    }
    r.send(resp);
  }

  private void handleSnapshot(Message m) {
    Snapshot s = m.getSnapshot();
    long sIndex = s.getMetadata().getIndex();
    long sTerm = s.getMetadata().getTerm();
    if (r.restore(s)) {
      r.logger.info("{} [commit: {}] restored snapshot [index: {}, term: {}]", hex(r.id), r.raftLog.committed(), sIndex, sTerm);
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(r.raftLog.lastIndex()));
    } else {
      r.logger.info("{} [commit: {}] ignored snapshot [index: {}, term: {}]", hex(r.id), r.raftLog.committed(), sIndex, sTerm);
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(r.raftLog.committed()));
    }
  }
}

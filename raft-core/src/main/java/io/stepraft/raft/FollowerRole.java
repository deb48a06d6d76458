package io.stepraft.raft;

import static io.stepraft.raft.Raft.NONE;
import static io.stepraft.raft.Raft.hex;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;

/**
 * What followers do: take the leader's log (§5.3), commit index and snapshots, forward to the
 * leader what only it can handle, and campaign when the leader asks them to (MsgTimeoutNow). {@link
 * CandidateRole} hands a leader's messages here once it gave way.
 */
final class FollowerRole {
  private final Raft r;

  FollowerRole(Raft raft) {
    this.r = raft;
  }

  /**
   * Handles a message of the follower's term (or a local one). May change: the log and commit index
   * (appends, heartbeats, snapshots), the known leader and the election timer, the read states;
   * forwards proposals, reads and transfer requests.
   */
  void step(Message m) {
    switch (m.getType()) {
      case MsgProp -> forwardProposal(m);
      case MsgApp -> {
        r.heardFromLeader(m.getFrom());
        handleAppendEntries(m);
      }
      case MsgHeartbeat -> {
        r.heardFromLeader(m.getFrom());
        handleHeartbeat(m);
      }
      case MsgSnap -> {
        r.heardFromLeader(m.getFrom());
        handleSnapshot(m);
      }
      case MsgTransferLeader -> forwardToLeader(m, "leader transfer msg");
      case MsgReadIndex -> forwardToLeader(m, "index reading msg");
      case MsgForgetLeader -> forgetLeader();
      case MsgTimeoutNow -> handleTimeoutNow(m);
      case MsgReadIndexResp -> {
        // The leader confirmed a read we forwarded: the host serves it once it applied the index.
        if (m.getEntriesCount() != 1) {
          r.logger.error(
              "{} invalid format of MsgReadIndexResp from {}, entries count: {}",
              hex(r.id),
              hex(m.getFrom()),
              m.getEntriesCount());
          return;
        }
        r.readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData().toByteArray()));
      }
      default ->
          r.logger.debug(
              "{} follower ignored {} from {}", hex(r.id), m.getType(), hex(m.getFrom()));
    }
  }

  /**
   * A proposal goes to the leader (as if local, without a term), unless there is none or forwarding
   * is off.
   */
  private void forwardProposal(Message m) {
    if (r.lead == NONE) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.NO_LEADER,
          hex(r.id) + " knows no leader at term " + r.term);
    }
    if (r.disableProposalForwarding) {
      throw new ProposalDroppedException(
          ProposalDroppedException.Reason.FORWARDING_DISABLED,
          hex(r.id) + " does not forward to leader " + hex(r.lead) + " at term " + r.term);
    }
    r.send(m.toBuilder().setTo(r.lead));
  }

  private void forwardToLeader(Message m, String what) {
    if (r.lead == NONE) {
      r.logger.info("{} no leader at term {}; dropping {}", hex(r.id), r.term, what);
      if (m.getType() == MessageType.MsgReadIndex && (m.getFrom() == NONE || m.getFrom() == r.id)) {
        throw new ReadIndexDroppedException(hex(r.id) + " knows no leader at term " + r.term);
      }
      return;
    }
    // A request from the network carries its sender's term; send() stamps ours.
    r.send(m.toBuilder().setTo(r.lead).clearTerm());
  }

  /**
   * The host believes the leader is gone: forget it, so that this node grants votes before its
   * lease would end. Refused with lease-based reads, whose safety rests on that lease.
   */
  private void forgetLeader() {
    if (r.readOnlyOption == ReadOnlyOption.LEASE_BASED) {
      r.logger.error("{} ignoring MsgForgetLeader due to ReadOnlyLeaseBased", hex(r.id));
      return;
    }
    if (r.lead != NONE) {
      r.logger.info("{} forgetting leader {} at term {}", hex(r.id), hex(r.lead), r.term);
      r.forgetLeader();
    }
  }

  /**
   * The leader hands leadership over (§3.10 of Ongaro's thesis): campaign at once, without a
   * pre-vote and overriding the voters' leases. Only our leader (possibly one that just removed
   * itself) or a member may ask.
   */
  private void handleTimeoutNow(Message m) {
    if (m.getFrom() != r.lead && r.trk.progress(m.getFrom()) == null) {
      r.logger.warn(
          "{} ignored MsgTimeoutNow from {}, neither its leader nor a member",
          hex(r.id),
          hex(m.getFrom()));
      return;
    }
    r.logger.info(
        "{} [term {}] received MsgTimeoutNow from {} and starts an election to get leadership",
        hex(r.id),
        r.term,
        hex(m.getFrom()));
    r.elections.hup(Elections.CampaignType.TRANSFER);
  }

  // ---------------------------------------------------------------- the leader's log

  /**
   * The consistency check of §5.3: accept the entries if our log holds the entry before them with
   * the same term (replacing conflicting uncommitted entries, never committed ones), and move the
   * commit index up to the leader's, within what we now know matches; otherwise reject with a hint
   * where the logs may match. The answer (MsgAppResp) leaves once the entries are durable.
   */
  private void handleAppendEntries(Message m) {
    if (m.getIndex() < r.raftLog.committed()) {
      // Everything up to our commit index is known to match: say how far we are.
      r.send(
          r.message()
              .setTo(m.getFrom())
              .setType(MessageType.MsgAppResp)
              .setIndex(r.raftLog.committed()));
      return;
    }
    long lastNew =
        r.raftLog.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
    if (lastNew >= 0) {
      r.send(r.message().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(lastNew));
      return;
    }
    // Our log does not match at m.index. Hint the largest index at or below it whose term is
    // <= m.logTerm: every entry above it in our log has a term the leader cannot match there.
    long hintIndex = Math.min(m.getIndex(), r.raftLog.lastIndex());
    hintIndex = r.raftLog.findConflictByTerm(hintIndex, m.getLogTerm());
    long hintTerm = r.raftLog.termOrZero(hintIndex);
    r.logger.debug(
        "{} [logterm: {}, index: {}] rejected MsgApp [logterm: {}, index: {}] from {}",
        hex(r.id),
        r.raftLog.termOrZero(m.getIndex()),
        m.getIndex(),
        m.getLogTerm(),
        m.getIndex(),
        hex(m.getFrom()));
    r.send(
        r.message()
            .setTo(m.getFrom())
            .setType(MessageType.MsgAppResp)
            .setIndex(m.getIndex())
            .setReject(true)
            .setRejectHint(hintIndex)
            .setLogTerm(hintTerm));
  }

  /**
   * A heartbeat carries the commit index the leader knows we hold (never more than our match), so
   * it may move ours; the answer echoes the heartbeat's context unchanged, which is how the leader
   * confirms reads.
   */
  private void handleHeartbeat(Message m) {
    r.raftLog.commitTo(m.getCommit());
    Message.Builder resp = r.message().setTo(m.getFrom()).setType(MessageType.MsgHeartbeatResp);
    if (!m.getContext().isEmpty()) {
      resp.setContext(m.getContext());
    }
    r.send(resp);
  }

  /**
   * A snapshot newer than our commit index replaces the log (or, if we hold its last entry, only
   * moves the commit index); the answer tells the leader our last index either way.
   */
  private void handleSnapshot(Message m) {
    Snapshot s = m.getSnapshot();
    long sIndex = s.getMetadata().getIndex();
    long sTerm = s.getMetadata().getTerm();
    if (r.restore(s)) {
      r.logger.info(
          "{} [commit: {}] restored snapshot [index: {}, term: {}]",
          hex(r.id),
          r.raftLog.committed(),
          sIndex,
          sTerm);
      r.send(
          Message.newBuilder()
              .setTo(m.getFrom())
              .setType(MessageType.MsgAppResp)
              .setIndex(r.raftLog.lastIndex()));
    } else {
      r.logger.info(
          "{} [commit: {}] ignored snapshot [index: {}, term: {}]",
          hex(r.id),
          r.raftLog.committed(),
          sIndex,
          sTerm);
      r.send(
          Message.newBuilder()
              .setTo(m.getFrom())
              .setType(MessageType.MsgAppResp)
              .setIndex(r.raftLog.committed()));
    }
  }
}

package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;

/**
 * Checks a message from the network before it reaches the state machine, so that malformed input is
 * refused with a typed exception and leaves no trace. Numbers on the wire are unsigned 64-bit;
 * values at or above 2^63 (negative here) are refused as out of range.
 */
final class MessageValidator {
  private MessageValidator() {}

  static void validate(Message m, Raft r) {
    MessageType t = m.getType();
    boolean fromLocalThread =
        m.getFrom() == Raft.LOCAL_APPEND_THREAD || m.getFrom() == Raft.LOCAL_APPLY_THREAD;
    if (isLocal(t) && !(fromLocalThread && r.asyncStorageWrites)) {
      // Without async storage writes no storage thread steps anything in: a message claiming to
      // come from one is forged, and would mark entries durable or applied that are not.
      throw new StepLocalMessageException(t);
    }
    if (fromLocalThread) {
      if (t != MessageType.MsgStorageAppendResp && t != MessageType.MsgStorageApplyResp) {
        throw new InvalidMessageException(t + " cannot come from a local storage thread");
      }
      return; // storage responses are ours, handed back by the host
    }
    if (isResponse(t) && r.trk.progress(m.getFrom()) == null) {
      throw new UnknownPeerException(t, m.getFrom());
    }
    checkNonNegative("term", m.getTerm());
    checkNonNegative("logTerm", m.getLogTerm());
    checkNonNegative("index", m.getIndex());
    checkNonNegative("commit", m.getCommit());
    checkNonNegative("rejectHint", m.getRejectHint());
    checkNonNegative("from", m.getFrom());
    if (m.getFrom() == Raft.NONE && t != MessageType.MsgProp && t != MessageType.MsgReadIndex) {
      throw new InvalidMessageException(t + " without a sender");
    }
    if (m.getTo() != Raft.NONE && m.getTo() != r.id) {
      throw new InvalidMessageException(
          t + " addressed to " + Long.toUnsignedString(m.getTo()) + " was delivered to " + r.id);
    }
    checkTerm(m);
    switch (t) {
      case MsgApp -> checkAppend(m);
      case MsgProp -> {
        if (m.getEntriesCount() == 0) {
          throw new InvalidMessageException("MsgProp without entries");
        }
      }
      case MsgReadIndex, MsgReadIndexResp -> {
        if (m.getEntriesCount() != 1) {
          throw new InvalidMessageException(
              t + " must carry exactly one entry, has " + m.getEntriesCount());
        }
      }
      case MsgSnap -> checkSnapshot(m);
      case MsgHeartbeat -> checkHeartbeat(m, r);
      case MsgAppResp -> checkAppendResponse(m, r);
      default -> {}
    }
  }

  /**
   * Proposals and read requests are forwarded to the leader without a term (they are handled as if
   * local); every other message carries its sender's term. A term-less vote would be answered
   * without one, and a proposal with a term would raise ours before it was dropped.
   */
  private static void checkTerm(Message m) {
    MessageType t = m.getType();
    boolean termless = t == MessageType.MsgProp || t == MessageType.MsgReadIndex;
    if (termless && m.getTerm() != 0) {
      throw new InvalidMessageException(
          t + " carries term " + m.getTerm() + "; it must travel without one");
    }
    if (!termless && m.getTerm() == 0) {
      throw new InvalidMessageException(t + " without a term");
    }
  }

  private static void checkAppend(Message m) {
    long expected = m.getIndex() + 1;
    long prevTerm = m.getLogTerm();
    for (int i = 0, n = m.getEntriesCount(); i < n; i++) {
      Entry e = m.getEntries(i);
      if (expected < 0) {
        throw new InvalidMessageException(
            "MsgApp entry index " + Long.toUnsignedString(expected) + " is out of range");
      }
      if (e.getIndex() != expected) {
        throw new InvalidMessageException(
            "MsgApp entries must follow index "
                + m.getIndex()
                + " without gaps: expected index "
                + expected
                + ", found "
                + e.getIndex());
      }
      if (e.getTerm() < prevTerm || e.getTerm() > m.getTerm() || e.getTerm() <= 0) {
        throw new InvalidMessageException(
            "MsgApp entry "
                + e.getIndex()
                + " has term "
                + e.getTerm()
                + ", outside ["
                + prevTerm
                + ", "
                + m.getTerm()
                + "]");
      }
      prevTerm = e.getTerm();
      expected++;
    }
  }

  private static void checkSnapshot(Message m) {
    if (!m.hasSnapshot()
        || m.getSnapshot().getMetadata().getIndex() <= 0
        || m.getSnapshot().getMetadata().getTerm() <= 0) {
      throw new InvalidMessageException("MsgSnap without a snapshot of positive index and term");
    }
    if (m.getSnapshot().getMetadata().getTerm() > m.getTerm()) {
      throw new InvalidMessageException(
          "MsgSnap snapshot term "
              + m.getSnapshot().getMetadata().getTerm()
              + " exceeds the message term "
              + m.getTerm());
    }
  }

  private static void checkHeartbeat(Message m, Raft r) {
    if (r.role == Role.LEADER && m.getTerm() == r.term) {
      return; // another leader in our term cannot exist; the leader ignores the message
    }
    long last = r.raftLog.lastIndex();
    if (m.getTerm() >= r.term && m.getCommit() > last) {
      // A leader never sends a commit index above the follower's match, so our log lost entries
      // it once acknowledged. Refuse loudly before anything changes.
      throw new IllegalStateException(
          Raft.hex(r.id)
              + " heartbeat commit "
              + m.getCommit()
              + " from "
              + Raft.hex(m.getFrom())
              + " is out of range [lastIndex "
              + last
              + "]. Was the raft log corrupted, truncated, or lost?");
    }
  }

  /**
   * In its term a leader's log only grows, and a follower acknowledges only entries the leader sent
   * it: an index beyond the log would push the follower's progress past it, and the leader would
   * look for a snapshot of entries that do not exist.
   */
  private static void checkAppendResponse(Message m, Raft r) {
    long last = r.raftLog.lastIndex();
    if (r.role == Role.LEADER && m.getTerm() == r.term && !m.getReject() && m.getIndex() > last) {
      throw new InvalidMessageException(
          "MsgAppResp from "
              + Raft.hex(m.getFrom())
              + " acknowledges index "
              + m.getIndex()
              + " beyond the leader's last index "
              + last);
    }
  }

  private static void checkNonNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidMessageException(
          field + " " + Long.toUnsignedString(value) + " is out of range");
    }
  }

  static boolean isLocal(MessageType t) {
    return switch (t) {
      case MsgHup,
          MsgBeat,
          MsgUnreachable,
          MsgSnapStatus,
          MsgCheckQuorum,
          MsgStorageAppend,
          MsgStorageAppendResp,
          MsgStorageApply,
          MsgStorageApplyResp ->
          true;
      default -> false;
    };
  }

  static boolean isResponse(MessageType t) {
    return switch (t) {
      case MsgAppResp,
          MsgVoteResp,
          MsgHeartbeatResp,
          MsgUnreachable,
          MsgReadIndexResp,
          MsgPreVoteResp,
          MsgStorageAppendResp,
          MsgStorageApplyResp ->
          true;
      default -> false;
    };
  }
}

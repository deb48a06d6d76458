package io.stepraft.raft;

import static io.stepraft.raft.Raft.hex;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.List;

/**
 * The leader's sending side of log replication (§5.3): what to send each follower next, within its
 * flow-control window (count and bytes of appends in flight), and a snapshot when the entries it
 * needs were compacted. It changes only the followers' {@link Progress}.
 */
final class Replication {
  private final Raft r;

  Replication(Raft raft) {
    this.r = raft;
  }

  /**
   * While {@link #bcastAppend} runs, the last append with entries it sent, else null. The log does
   * not change during a broadcast, so a follower whose append starts at the same index gets the
   * same entries: its message is a copy of that one and shares its entry list.
   */
  private Message lastBroadcast;

  /** Sends every other member what it needs next, or an empty append carrying the commit index. */
  void bcastAppend() {
    ProgressTracker trk = r.trk;
    try {
      for (int i = 0, n = trk.size(); i < n; i++) {
        long id = trk.idAt(i);
        if (id != r.id) {
          Message sent = maybeSendAppend(id, true, lastBroadcast);
          if (sent != null && sent.getEntriesCount() > 0) {
            lastBroadcast = sent;
          }
        }
      }
    } finally {
      lastBroadcast = null;
    }
  }

  /** Sends {@code to} what it needs next, or an empty append carrying the commit index. */
  void sendAppend(long to) {
    maybeSendAppend(to, true);
  }

  /**
   * Sends the entries the follower needs next, a snapshot when they are compacted, or (if {@code
   * sendIfEmpty}) an empty append carrying the commit index. Nothing while the follower is paused
   * (probing with an append outstanding, a full window, a snapshot in flight). Returns whether a
   * message was sent.
   */
  boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    return maybeSendAppend(to, sendIfEmpty, null) != null;
  }

  /**
   * {@link #maybeSendAppend(long, boolean)}, returning the message sent (an append or a snapshot),
   * or null. {@code same} is an append with entries sent in this broadcast, or null: if this
   * follower's append would start at the same index, it is sent as a copy of {@code same}.
   */
  private Message maybeSendAppend(long to, boolean sendIfEmpty, Message same) {
    Progress pr = r.trk.progress(to);
    if (pr.isPaused()) {
      return null;
    }
    long prevIndex = pr.next() - 1;
    // A throttled follower only gets empty appends: they still reach it and are acknowledged or
    // rejected, which frees the window even if every full message in it was lost.
    boolean throttled = pr.state() == Progress.State.REPLICATE && pr.inflights().full();
    if (same != null && !throttled && same.getIndex() == prevIndex) {
      // The same entries, log term and commit index: only the recipient differs.
      Message sent = r.send(r.message().mergeFrom(same).clearFrom().clearTerm().setTo(to));
      pr.sentEntries(sent.getEntriesCount(), EntrySizes.payloadsSize(sent.getEntriesList()));
      pr.sentCommit(sent.getCommit());
      return sent;
    }
    long prevTerm;
    List<Entry> ents = List.of();
    try {
      prevTerm = r.raftLog.term(prevIndex);
      if (!throttled) {
        ents = r.raftLog.entriesToSend(pr.next(), r.maxSizePerMsgBytes);
      }
    } catch (CompactedException | UnavailableException e) {
      // The entries the follower needs are gone from the log: send a snapshot instead.
      return maybeSendSnapshot(to, pr);
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return null;
    }
    long commit = r.raftLog.committed();
    Message.Builder m =
        r.message()
            .setTo(to)
            .setType(MessageType.MsgApp)
            .setIndex(prevIndex)
            .setLogTerm(prevTerm)
            .setCommit(commit);
    if (!ents.isEmpty()) {
      m.addAllEntries(ents); // when empty, the message shares the empty list instead of a copy
    }
    Message sent = r.send(m);
    pr.sentEntries(ents.size(), EntrySizes.payloadsSize(ents));
    pr.sentCommit(commit);
    return sent;
  }

  /**
   * Sends the storage's snapshot to a follower that needs compacted entries, if it was heard from
   * recently (a snapshot to a dead node is wasted) and the storage has one ready; the follower's
   * progress waits in SNAPSHOT until the host reports the outcome. Returns the MsgSnap, or null.
   */
  private Message maybeSendSnapshot(long to, Progress pr) {
    if (!pr.recentActive()) {
      r.logger.debug(
          "{} ignore sending snapshot to {} since it is not recently active", hex(r.id), hex(to));
      return null;
    }
    Snapshot snapshot;
    try {
      snapshot = r.raftLog.snapshot();
    } catch (SnapshotTemporarilyUnavailableException e) {
      r.logger.debug(
          "{} failed to send snapshot to {} because snapshot is temporarily unavailable",
          hex(r.id),
          hex(to));
      return null;
    }
    if (Raft.isEmpty(snapshot)) {
      throw new IllegalStateException(
          hex(r.id)
              + " needs a non-empty snapshot for "
              + hex(to)
              + " (first index "
              + r.raftLog.firstIndex()
              + ", follower next "
              + pr.next()
              + ")");
    }
    long sIndex = snapshot.getMetadata().getIndex();
    r.logger.debug(
        "{} [firstindex: {}, commit: {}] sent snapshot[index: {}, term: {}] to {} [{}]",
        hex(r.id),
        r.raftLog.firstIndex(),
        r.raftLog.committed(),
        sIndex,
        snapshot.getMetadata().getTerm(),
        hex(to),
        pr);
    pr.becomeSnapshot(sIndex);
    return r.send(
        Message.newBuilder().setTo(to).setType(MessageType.MsgSnap).setSnapshot(snapshot));
  }
}

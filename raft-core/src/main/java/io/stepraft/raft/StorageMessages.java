package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import java.util.List;

/**
 * The local messages that describe a Ready's storage work: MsgStorageAppend (persist, then deliver
 * the responses) and MsgStorageApply (apply, then deliver the response), and the responses that
 * acknowledge them. With synchronous writes only the responses are used, stepped at {@link
 * RawNode#advance}.
 */
final class StorageMessages {
  private StorageMessages() {}

  /**
   * Adds the MsgStorageAppend and MsgStorageApply of an asynchronous Ready to its messages.
   *
   * @param hard the hard state to persist, or null when unchanged
   * @param snap the snapshot to persist, or null
   */
  static void addTo(
      List<Message> messages,
      Raft r,
      List<Entry> entries,
      HardState hard,
      Snapshot snap,
      List<Entry> committed) {
    // Persist when there is anything to persist, or acknowledgements that must wait for earlier
    // writes to be durable.
    if (!entries.isEmpty() || hard != null || snap != null || !r.msgsAfterAppend.isEmpty()) {
      messages.add(append(r, entries, hard, snap));
    }
    if (!committed.isEmpty()) {
      messages.add(
          Message.newBuilder()
              .setType(MessageType.MsgStorageApply)
              .setTo(Raft.LOCAL_APPLY_THREAD)
              .setFrom(r.id)
              .addAllEntries(committed)
              .addResponses(applyResponse(r, committed))
              .build());
    }
  }

  private static Message append(Raft r, List<Entry> entries, HardState hard, Snapshot snap) {
    Message.Builder m =
        Message.newBuilder()
            .setType(MessageType.MsgStorageAppend)
            .setTo(Raft.LOCAL_APPEND_THREAD)
            .setFrom(r.id)
            .addAllEntries(entries);
    if (hard != null) {
      // The hard state travels in the message's own fields; absent fields mean "unchanged".
      m.setTerm(hard.getTerm()).setVote(hard.getVote()).setCommit(hard.getCommit());
    }
    if (snap != null) {
      m.setSnapshot(snap);
    }
    // Acknowledgements of this write (to peers and to ourselves) leave only once it is durable.
    // Our own MsgAppResp comes before the MsgStorageAppendResp that marks the entries stable.
    m.addAllResponses(r.msgsAfterAppend);
    Message resp = appendResponse(r, snap);
    if (resp != null) {
      m.addResponses(resp);
    }
    return m.build();
  }

  /**
   * The acknowledgement of a Ready's writes, or null if it wrote no entry and no snapshot. It names
   * the log's last entry (index and term) and the snapshot, and carries the current term: stepped
   * after a term change, it marks no entry stable, since a newer leader may have replaced those
   * entries meanwhile.
   *
   * @param snap the snapshot written, or null
   */
  static Message appendResponse(Raft r, Snapshot snap) {
    boolean entries = r.raftLog.hasNextOrInProgressUnstableEnts();
    if (!entries && snap == null) {
      return null;
    }
    Message.Builder m =
        Message.newBuilder()
            .setType(MessageType.MsgStorageAppendResp)
            .setTo(r.id)
            .setFrom(Raft.LOCAL_APPEND_THREAD)
            .setTerm(r.term);
    if (entries) {
      m.setIndex(r.raftLog.lastIndex()).setLogTerm(r.raftLog.lastTerm());
    }
    if (snap != null) {
      m.setSnapshot(snap);
    }
    return m.build();
  }

  /** The acknowledgement that entries were applied; it carries them to account their sizes. */
  static Message applyResponse(Raft r, List<Entry> applied) {
    return Message.newBuilder()
        .setType(MessageType.MsgStorageApplyResp)
        .setTo(r.id)
        .setFrom(Raft.LOCAL_APPLY_THREAD)
        .addAllEntries(applied)
        .build();
  }
}

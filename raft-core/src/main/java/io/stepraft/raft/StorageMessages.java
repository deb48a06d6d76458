package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;

/**
 * The local messages that describe a Ready's storage work: MsgStorageAppend (persist, then
 * deliver the responses) and MsgStorageApply (apply, then deliver the response), and the
 * responses that acknowledge them. With synchronous writes only the responses are used, stepped
 * at {@link RawNode#advance}.
 */
final class StorageMessages {
  private StorageMessages() {}

  /** Adds the MsgStorageAppend and MsgStorageApply of an asynchronous Ready to its messages. */
  static void addTo(List<Message> messages, Raft r, Ready rd) {
    if (needsAppend(r, rd)) {
      messages.add(append(r, rd));
    }
    if (!rd.committedEntries().isEmpty()) {
      messages.add(Message.newBuilder().setType(MessageType.MsgStorageApply).setTo(Raft.LOCAL_APPLY_THREAD)
          .setFrom(r.id).addAllEntries(rd.committedEntries())
          .addResponses(applyResponse(r, rd.committedEntries())).build());
    }
  }

  /**
   * Whether the Ready has anything to persist, or acknowledgements that must wait for earlier
   * writes to be durable.
   */
  private static boolean needsAppend(Raft r, Ready rd) {
    return !rd.entries().isEmpty() || rd.hasHardState() || rd.hasSnapshot() || !r.msgsAfterAppend.isEmpty();
  }

  private static Message append(Raft r, Ready rd) {
    Message.Builder m = Message.newBuilder().setType(MessageType.MsgStorageAppend)
        .setTo(Raft.LOCAL_APPEND_THREAD).setFrom(r.id).addAllEntries(rd.entries());
    if (rd.hasHardState()) {
      // The hard state travels in the message's own fields; absent fields mean "unchanged".
      m.setTerm(rd.hardState().getTerm()).setVote(rd.hardState().getVote()).setCommit(rd.hardState().getCommit());
    }
    if (rd.hasSnapshot()) {
      m.setSnapshot(rd.snapshot());
    }
    // Acknowledgements of this write (to peers and to ourselves) leave only once it is durable.
    // Our own MsgAppResp comes before the MsgStorageAppendResp that marks the entries stable.
    m.addAllResponses(r.msgsAfterAppend);
    if (needsAppendResponse(r, rd)) {
      m.addResponses(appendResponse(r, rd));
    }
    return m.build();
  }

  static boolean needsAppendResponse(Raft r, Ready rd) {
    return r.raftLog.hasNextOrInProgressUnstableEnts() || rd.hasSnapshot();
  }

  /**
   * The acknowledgement of a Ready's writes. It names the log's last entry (index and term) and
   * the snapshot, and carries the current term: stepped after a term change, it marks no entry
   * stable, since a newer leader may have replaced those entries meanwhile.
   */
  static Message appendResponse(Raft r, Ready rd) {
    Message.Builder m = Message.newBuilder().setType(MessageType.MsgStorageAppendResp).setTo(r.id)
        .setFrom(Raft.LOCAL_APPEND_THREAD).setTerm(r.term);
    if (r.raftLog.hasNextOrInProgressUnstableEnts()) {
      m.setIndex(r.raftLog.lastIndex()).setLogTerm(r.raftLog.lastTerm());
    }
    if (rd.hasSnapshot()) {
      m.setSnapshot(rd.snapshot());
    }
    return m.build();
  }

  /** The acknowledgement that entries were applied; it carries them to account their sizes. */
  static Message applyResponse(Raft r, List<Entry> applied) {
    return Message.newBuilder().setType(MessageType.MsgStorageApplyResp).setTo(r.id)
        .setFrom(Raft.LOCAL_APPLY_THREAD).addAllEntries(applied).build();
  }
}

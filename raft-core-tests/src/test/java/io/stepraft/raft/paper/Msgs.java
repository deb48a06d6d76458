package io.stepraft.raft.paper;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import java.util.List;

/** Messages from the peers a test plays, all addressed to {@link Solo#ID}. */
final class Msgs {
  private Msgs() {}

  static Message vote(long from, long term, long lastIndex, long lastTerm) {
    return base(MessageType.MsgVote, from, term).setIndex(lastIndex).setLogTerm(lastTerm).build();
  }

  static Message voteResp(long from, long term, boolean reject) {
    return base(MessageType.MsgVoteResp, from, term).setReject(reject).build();
  }

  static Message app(
      long from, long term, long prevIndex, long prevTerm, long commit, Entry... ents) {
    return base(MessageType.MsgApp, from, term)
        .setIndex(prevIndex)
        .setLogTerm(prevTerm)
        .setCommit(commit)
        .addAllEntries(List.of(ents))
        .build();
  }

  static Message appResp(long from, long term, long index) {
    return base(MessageType.MsgAppResp, from, term).setIndex(index).build();
  }

  static Message appReject(long from, long term, long index, long hintIndex, long hintTerm) {
    return base(MessageType.MsgAppResp, from, term)
        .setIndex(index)
        .setReject(true)
        .setRejectHint(hintIndex)
        .setLogTerm(hintTerm)
        .build();
  }

  static Message preVoteResp(long from, long term, boolean reject) {
    return base(MessageType.MsgPreVoteResp, from, term).setReject(reject).build();
  }

  /** A heartbeat answer echoing {@code context}, the read round's context its heartbeat carried. */
  static Message heartbeatResp(long from, long term, ByteString context) {
    return base(MessageType.MsgHeartbeatResp, from, term).setContext(context).build();
  }

  static Message readIndexResp(long from, long term, long index, String context) {
    return base(MessageType.MsgReadIndexResp, from, term)
        .setIndex(index)
        .addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8(context)))
        .build();
  }

  static Message heartbeat(long from, long term, long commit) {
    return base(MessageType.MsgHeartbeat, from, term).setCommit(commit).build();
  }

  static Message heartbeatResp(long from, long term) {
    return base(MessageType.MsgHeartbeatResp, from, term).build();
  }

  private static Message.Builder base(MessageType t, long from, long term) {
    return Messages.message(t, from, Solo.ID, term);
  }

  /** The one message of type {@code t} to {@code to}; fails if there is not exactly one. */
  static Message only(List<Message> msgs, MessageType t, long to) {
    List<Message> found = Messages.ofType(msgs, t, to);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + t + " to " + to + ", found " + found.size() + " in " + msgs);
    }
    return found.get(0);
  }
}

package io.stepraft.raft.pb;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes values the way etcd's generated Go code does: every scalar and bytes field is written,
 * zeros included; the non-nullable nested messages (Message.snapshot, Snapshot.metadata,
 * SnapshotMetadata.conf_state) are always written; repeated fields are written element by element,
 * unpacked; all in ascending field number order.
 *
 * <p>Field numbers are spelled out here from the wire table (RAFTPB-WIRE.md), not read from our
 * descriptors, so a numbering mistake in raft.proto shows up as a mismatch.
 */
final class EtcdStyleEncoder {

  private EtcdStyleEncoder() {}

  /** Writes one message body into a {@link CodedOutputStream}. */
  @FunctionalInterface
  private interface Body {
    void writeTo(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      body.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void nested(CodedOutputStream out, int field, byte[] body) throws IOException {
    out.writeByteArray(field, body);
  }

  static byte[] message(Message m) {
    return encode(
        out -> {
          out.writeEnum(1, m.getType().getNumber());
          out.writeUInt64(2, m.getTo());
          out.writeUInt64(3, m.getFrom());
          out.writeUInt64(4, m.getTerm());
          out.writeUInt64(5, m.getLogTerm());
          out.writeUInt64(6, m.getIndex());
          for (Entry e : m.getEntriesList()) {
            nested(out, 7, entry(e));
          }
          out.writeUInt64(8, m.getCommit());
          nested(out, 9, snapshot(m.getSnapshot()));
          out.writeBool(10, m.getReject());
          out.writeUInt64(11, m.getRejectHint());
          out.writeBytes(12, m.getContext());
          out.writeUInt64(13, m.getVote());
          for (Message r : m.getResponsesList()) {
            nested(out, 14, message(r));
          }
        });
  }

  static byte[] entry(Entry e) {
    return encode(
        out -> {
          out.writeEnum(1, e.getType().getNumber());
          out.writeUInt64(2, e.getTerm());
          out.writeUInt64(3, e.getIndex());
          out.writeBytes(4, e.getData());
        });
  }

  static byte[] snapshot(Snapshot s) {
    return encode(
        out -> {
          out.writeBytes(1, s.getData());
          nested(out, 2, snapshotMetadata(s.getMetadata()));
        });
  }

  static byte[] snapshotMetadata(SnapshotMetadata md) {
    return encode(
        out -> {
          nested(out, 1, confState(md.getConfState()));
          out.writeUInt64(2, md.getIndex());
          out.writeUInt64(3, md.getTerm());
        });
  }

  static byte[] confState(ConfState cs) {
    return encode(
        out -> {
          for (long id : cs.getVotersList()) {
            out.writeUInt64(1, id);
          }
          for (long id : cs.getLearnersList()) {
            out.writeUInt64(2, id);
          }
          for (long id : cs.getVotersOutgoingList()) {
            out.writeUInt64(3, id);
          }
          for (long id : cs.getLearnersNextList()) {
            out.writeUInt64(4, id);
          }
          out.writeBool(5, cs.getAutoLeave());
        });
  }

  static byte[] hardState(HardState hs) {
    return encode(
        out -> {
          out.writeUInt64(1, hs.getTerm());
          out.writeUInt64(2, hs.getVote());
          out.writeUInt64(3, hs.getCommit());
        });
  }

  static byte[] confChange(ConfChange cc) {
    return encode(
        out -> {
          out.writeUInt64(1, cc.getId());
          out.writeEnum(2, cc.getType().getNumber());
          out.writeUInt64(3, cc.getNodeId());
          out.writeBytes(4, cc.getContext());
        });
  }

  static byte[] confChangeSingle(ConfChangeSingle ccs) {
    return encode(
        out -> {
          out.writeEnum(1, ccs.getType().getNumber());
          out.writeUInt64(2, ccs.getNodeId());
        });
  }

  static byte[] confChangeV2(ConfChangeV2 cc) {
    return encode(
        out -> {
          out.writeEnum(1, cc.getTransition().getNumber());
          for (ConfChangeSingle change : cc.getChangesList()) {
            nested(out, 2, confChangeSingle(change));
          }
          out.writeBytes(3, cc.getContext());
        });
  }
}

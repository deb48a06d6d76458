package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.storage.WalRecord.CrcRecord;
import io.stepraft.raft.storage.WalRecord.EntryRecord;
import io.stepraft.raft.storage.WalRecord.Metadata;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import io.stepraft.raft.storage.WalRecord.StateRecord;

/**
 * Payloads of WAL records (little-endian integers, protobuf messages):
 *
 * <pre>
 * METADATA  host bytes
 * ENTRY     u64 groupId, Entry
 * STATE     u64 groupId, HardState
 * CRC       u32 prevCrc, u64 seq, u64 firstIndex
 * SNAPSHOT  u64 groupId, u8 replacesLog (0 or 1), u64 index, u64 term, ConfState
 * </pre>
 */
final class RecordCodec {
  static final int CRC_PAYLOAD_BYTES = 20;

  private RecordCodec() {}

  /** A payload that does not decode; the reader turns it into a {@link CorruptWalException}. */
  static final class BadPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    BadPayloadException(String message) {
      super(message);
    }
  }

  static byte[] payload(WalRecord r) {
    if (r instanceof Metadata m) {
      return m.data().toByteArray();
    } else if (r instanceof EntryRecord e) {
      return withGroup(e.groupId(), 0, e.entry().toByteArray());
    } else if (r instanceof StateRecord s) {
      return withGroup(s.groupId(), 0, s.hardState().toByteArray());
    } else if (r instanceof CrcRecord c) {
      byte[] b = new byte[CRC_PAYLOAD_BYTES];
      Frame.putInt(b, 0, c.prevCrc());
      Frame.putLong(b, 4, c.seq());
      Frame.putLong(b, 12, c.firstIndex());
      return b;
    } else {
      SnapshotRecord s = (SnapshotRecord) r;
      byte[] b = withGroup(s.groupId(), 17, s.confState().toByteArray());
      b[8] = (byte) (s.replacesLog() ? 1 : 0);
      Frame.putLong(b, 9, s.index());
      Frame.putLong(b, 17, s.term());
      return b;
    }
  }

  private static byte[] withGroup(long groupId, int extraBytes, byte[] message) {
    byte[] b = new byte[8 + extraBytes + message.length];
    Frame.putLong(b, 0, groupId);
    System.arraycopy(message, 0, b, 8 + extraBytes, message.length);
    return b;
  }

  /** Decodes the payload {@code buf[off .. off + len)} of a record of type {@code type}. */
  static WalRecord decode(RecordType type, byte[] buf, int off, int len)
      throws BadPayloadException {
    try {
      switch (type) {
        case METADATA:
          return new Metadata(ByteString.copyFrom(buf, off, len));
        case CRC:
          need(type, len, CRC_PAYLOAD_BYTES, true);
          return new CrcRecord(
              Frame.getInt(buf, off), Frame.getLong(buf, off + 4), Frame.getLong(buf, off + 12));
        case ENTRY:
          need(type, len, 8, false);
          return new EntryRecord(group(buf, off), Entry.parser().parseFrom(buf, off + 8, len - 8));
        case STATE:
          need(type, len, 8, false);
          return new StateRecord(
              group(buf, off), HardState.parser().parseFrom(buf, off + 8, len - 8));
        case SNAPSHOT:
          need(type, len, 25, false);
          byte flag = buf[off + 8];
          if (flag != 0 && flag != 1) {
            throw new BadPayloadException("snapshot record flag is " + flag + ", not 0 or 1");
          }
          return new SnapshotRecord(
              group(buf, off),
              flag == 1,
              Frame.getLong(buf, off + 9),
              Frame.getLong(buf, off + 17),
              ConfState.parser().parseFrom(buf, off + 25, len - 25));
        default:
          throw new BadPayloadException("unknown record type " + type);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new BadPayloadException(type + " record payload does not parse: " + e.getMessage());
    }
  }

  private static long group(byte[] buf, int off) throws BadPayloadException {
    long g = Frame.getLong(buf, off);
    if (g < 1) {
      throw new BadPayloadException("group id " + g + " is not positive");
    }
    return g;
  }

  private static void need(RecordType type, int len, int bytes, boolean exact)
      throws BadPayloadException {
    if (exact ? len != bytes : len < bytes) {
      throw new BadPayloadException(
          type
              + " record payload has "
              + len
              + " bytes, expected "
              + (exact ? "" : "at least ")
              + bytes);
    }
  }
}

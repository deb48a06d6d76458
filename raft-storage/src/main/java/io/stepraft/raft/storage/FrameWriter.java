package io.stepraft.raft.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Frames records into one buffer, chaining each record's checksum from the one before. */
final class FrameWriter {
  private byte[] buf = new byte[4096];
  private int size;
  private int crc;

  /** Starts an empty batch that chains from {@code prevCrc}. */
  void reset(int prevCrc) {
    size = 0;
    crc = prevCrc;
  }

  void add(WalRecord record) {
    byte[] payload = RecordCodec.payload(record);
    int body = 1 + payload.length;
    if (body > Frame.BODY_BYTES_MAX) {
      throw new IllegalArgumentException(
          record.type() + " record of " + body + " bytes exceeds " + Frame.BODY_BYTES_MAX);
    }
    int frame = (int) Frame.frameBytes(body);
    ensure(frame);
    int at = size;
    Frame.putInt(buf, at, body);
    Frame.putInt(buf, at + 4, ~body);
    buf[at + Frame.HEADER_BYTES] = record.type().code;
    System.arraycopy(payload, 0, buf, at + Frame.HEADER_BYTES + 1, payload.length);
    Arrays.fill(buf, at + Frame.HEADER_BYTES + body, at + frame - Frame.TRAILER_BYTES, (byte) 0);
    System.arraycopy(Frame.TRAILER, 0, buf, at + frame - Frame.TRAILER_BYTES, Frame.TRAILER_BYTES);
    crc = Frame.crc(crc, buf, at, frame);
    Frame.putInt(buf, at + 8, crc);
    size += frame;
  }

  /** The bytes framed so far. */
  int size() {
    return size;
  }

  /** The checksum of the last record framed (the seed when none was). */
  int crc() {
    return crc;
  }

  /** A view of the framed bytes, valid until the next change. */
  ByteBuffer bytes() {
    return ByteBuffer.wrap(buf, 0, size);
  }

  private void ensure(int more) {
    long needed = (long) size + more;
    if (needed > Wal.BATCH_BYTES_MAX) {
      throw new IllegalArgumentException(
          "a batch of " + needed + " bytes exceeds the limit of " + Wal.BATCH_BYTES_MAX);
    }
    if (needed > buf.length) {
      long grown = Math.max(needed, 2L * buf.length);
      buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }
  }
}

package io.stepraft.raft.storage;

import java.util.zip.CRC32C;

/**
 * The framing of a WAL record. Frames start at offsets that are multiples of 8, so a frame's first
 * 8 bytes (its length and the length's complement) never straddle a disk sector. All integers are
 * little-endian.
 *
 * <pre>
 * offset  bytes  field
 * 0       4      length: bytes of the body (type + payload), 1 .. BODY_BYTES_MAX
 * 4       4      ~length, the bitwise complement: a header that is not a valid pair is damage
 * 8       4      crc: CRC32C over (the previous record's crc, length, body, padding)
 * 12      n      body: the record type (1 byte), then the payload
 * 12 + n  0..7   zero padding, so that the frame's size is a multiple of 8
 * end - 4 4      trailer: the bytes "END!", written last
 * </pre>
 *
 * <p>A frame whose first 8 bytes are zero marks the end of the data in a preallocated segment. The
 * trailer tells a record whose write stopped part-way (its trailer is still zero, or a prefix of
 * "END!" then zeros) from a whole record damaged later (its trailer is intact).
 */
final class Frame {
  static final int HEADER_BYTES = 12;
  static final int TRAILER_BYTES = 4;
  static final byte[] TRAILER = {'E', 'N', 'D', '!'};
  static final int ALIGN_BYTES = 8;
  static final int BODY_BYTES_MAX = 512 << 20;
  static final int METADATA_BYTES_MAX = 1 << 20;

  private Frame() {}

  /** The bytes a frame with a body of {@code bodyBytes} takes, padding included. */
  static long frameBytes(int bodyBytes) {
    long raw = (long) HEADER_BYTES + bodyBytes + TRAILER_BYTES;
    return (raw + ALIGN_BYTES - 1) & -ALIGN_BYTES;
  }

  /** Whether a header's two words form a valid (length, ~length) pair with a length in range. */
  static boolean validHeader(int length, int lengthCheck) {
    return length == ~lengthCheck && length >= 1 && length <= BODY_BYTES_MAX;
  }

  /**
   * The chained checksum of the frame at {@code buf[offset .. offset + frameBytes)}: CRC32C over
   * {@code prevCrc}, the length word and everything after the crc field.
   */
  static int crc(int prevCrc, byte[] buf, int offset, int frameBytes) {
    CRC32C c = new CRC32C();
    byte[] prev = {
      (byte) prevCrc, (byte) (prevCrc >>> 8), (byte) (prevCrc >>> 16), (byte) (prevCrc >>> 24)
    };
    c.update(prev, 0, 4);
    c.update(buf, offset, 4);
    c.update(buf, offset + HEADER_BYTES, frameBytes - HEADER_BYTES);
    return (int) c.getValue();
  }

  /** Whether the trailer at {@code at} is whole. */
  static boolean wholeTrailer(byte[] b, int at) {
    for (int i = 0; i < TRAILER_BYTES; i++) {
      if (b[at + i] != TRAILER[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the trailer at {@code at} was being written: a prefix of it, then zeros. */
  static boolean partialTrailer(byte[] b, int at) {
    int i = 0;
    while (i < TRAILER_BYTES && b[at + i] == TRAILER[i]) {
      i++;
    }
    if (i == TRAILER_BYTES) {
      return false;
    }
    for (; i < TRAILER_BYTES; i++) {
      if (b[at + i] != 0) {
        return false;
      }
    }
    return true;
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }

  static long getLong(byte[] b, int at) {
    return (getInt(b, at) & 0xffffffffL) | ((long) getInt(b, at + 4)) << 32;
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) v);
    putInt(b, at + 4, (int) (v >>> 32));
  }
}

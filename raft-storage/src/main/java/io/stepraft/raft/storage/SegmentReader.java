package io.stepraft.raft.storage;

import io.stepraft.raft.storage.RecordCodec.BadPayloadException;
import io.stepraft.raft.storage.WalRecord.CrcRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the records of one segment and tells a torn tail from corruption.
 *
 * <p>The damage model: a crash, or a write that failed part-way, may lose any suffix of what was
 * written since the last fsync (the file ends early, or its preallocated zeros remain), and may
 * leave any 512-byte sector of an unsynced write unwritten (zero). Damage in the last segment that
 * this model explains, and after which no other record follows, is a torn tail: the reader reports
 * it and the caller cuts it. Everything else is a {@link CorruptWalException}: a checksum mismatch
 * in a record that is whole (no unwritten sector), a header whose length and complement differ in
 * exactly one bit (bit rot, not a torn write), a damaged record followed by another record, any
 * damage in an earlier segment, and a payload that does not decode.
 */
final class SegmentReader {
  static final int SECTOR_BYTES = 512;

  /** A record and the byte offset of its frame. */
  record Decoded(long offset, WalRecord record) {}

  /**
   * A tail to cut: bytes {@code [offset, damagedEnd)} are damage a crash explains.
   *
   * @param reason what was found at {@code offset}
   */
  record TornTail(int offset, int damagedEnd, String reason) {}

  /**
   * What a segment holds.
   *
   * @param records the whole records, in order
   * @param endOffset where the valid data ends (the next write goes there)
   * @param lastCrc the checksum of the last record, which the next one chains from
   * @param torn the tail to cut, or null
   */
  record Result(List<Decoded> records, int endOffset, int lastCrc, TornTail torn) {}

  private final Path file;
  private final byte[] data;
  private final boolean last;

  private SegmentReader(Path file, byte[] data, boolean last) {
    this.file = file;
    this.data = data;
    this.last = last;
  }

  /**
   * Reads a segment.
   *
   * @param file the segment's path, for messages
   * @param data its bytes
   * @param seed the checksum the previous segment ended with, or null when no segment precedes this
   *     one (the chain then starts from the first record's own prevCrc)
   * @param last whether this is the last segment, the only one a torn tail may be in
   * @throws CorruptWalException for damage a crash does not explain
   */
  static Result read(Path file, byte[] data, Integer seed, boolean last) {
    return new SegmentReader(file, data, last).read(seed);
  }

  private Result read(Integer seed) {
    List<Decoded> records = new ArrayList<>();
    int pos = 0;
    int crc = seed == null ? 0 : seed;
    while (pos < data.length) {
      if (data.length - pos < 8) {
        return endOrDamage(records, pos, crc, "a partial record header");
      }
      int length = Frame.getInt(data, pos);
      int check = Frame.getInt(data, pos + 4);
      if (length == 0 && check == 0) {
        return end(records, pos, crc);
      }
      int flipped = Integer.bitCount(length ^ ~check);
      if (flipped == 1) {
        throw corrupt(pos, "record length " + length + " and its complement differ in one bit");
      }
      if (flipped != 0) {
        return damage(records, pos, crc, "a record header that is not a valid length");
      }
      if (length < 1 || length > Frame.BODY_BYTES_MAX) {
        throw corrupt(pos, "record length " + length + " is out of range");
      }
      long frameBytes = Frame.frameBytes(length);
      if (pos + frameBytes > data.length) {
        return damage(
            records,
            pos,
            crc,
            "a record of " + frameBytes + " bytes that runs past the end of the file");
      }
      int frame = (int) frameBytes;
      if (records.isEmpty()) {
        crc = firstSeed(pos, length, seed);
      }
      int stored = Frame.getInt(data, pos + 8);
      int computed = Frame.crc(crc, data, pos, frame);
      if (stored != computed) {
        return checksumMismatch(records, pos, frame, crc, stored, computed);
      }
      records.add(new Decoded(pos, decode(pos, length)));
      crc = stored;
      pos += frame;
    }
    return new Result(records, pos, crc, null);
  }

  private int firstSeed(int pos, int length, Integer seed) {
    if (data[pos + Frame.HEADER_BYTES] != RecordType.CRC.code
        || length != 1 + RecordCodec.CRC_PAYLOAD_BYTES) {
      throw corrupt(pos, "the segment does not begin with a crc record");
    }
    int prev = Frame.getInt(data, pos + Frame.HEADER_BYTES + 1);
    if (seed != null && prev != seed) {
      throw corrupt(
          pos,
          "the checksum chain is broken: the segment continues from crc "
              + hex(prev)
              + " but the previous segment ends with "
              + hex(seed)
              + " (a segment is missing, replaced or cut short)");
    }
    return prev;
  }

  private WalRecord decode(int pos, int length) {
    byte code = data[pos + Frame.HEADER_BYTES];
    RecordType type = RecordType.of(code);
    if (type == null) {
      throw corrupt(pos, "unknown record type " + code);
    }
    try {
      return RecordCodec.decode(type, data, pos + Frame.HEADER_BYTES + 1, length - 1);
    } catch (BadPayloadException e) {
      throw corrupt(pos, e.getMessage());
    }
  }

  private Result checksumMismatch(
      List<Decoded> records, int pos, int frame, int crc, int stored, int computed) {
    String what = "checksum mismatch (stored " + hex(stored) + ", computed " + hex(computed) + ")";
    if (validFrameAt(pos + frame, stored)) {
      throw corrupt(pos, what + ", and the next record at offset " + (pos + frame) + " is valid");
    }
    int trailer = pos + frame - Frame.TRAILER_BYTES;
    if (Frame.partialTrailer(data, trailer)) {
      return damage(records, pos, crc, "a record whose write stopped part-way: " + what);
    }
    if (!Frame.wholeTrailer(data, trailer)) {
      throw corrupt(pos, what + " and a damaged trailer at offset " + trailer);
    }
    if (!hasUnwrittenSector(pos, pos + frame)) {
      throw corrupt(pos, what + " in a whole record (no unwritten sector): not a torn write");
    }
    return damage(records, pos, crc, "a record with an unwritten sector: " + what);
  }

  private Result end(List<Decoded> records, int pos, int crc) {
    int q = nextHeader(pos + 8);
    if (q >= 0) {
      throw corrupt(pos, "zeroed bytes are followed by a record at offset " + q);
    }
    int nonZeroEnd = nonZeroEnd(pos);
    if (nonZeroEnd == pos) {
      return new Result(records, pos, crc, null);
    }
    if (!last) {
      throw corrupt(pos, "non-zero bytes after the end of the data, up to offset " + nonZeroEnd);
    }
    return new Result(records, pos, crc, new TornTail(pos, nonZeroEnd, "non-zero bytes"));
  }

  private Result endOrDamage(List<Decoded> records, int pos, int crc, String what) {
    if (nonZeroEnd(pos) == pos) {
      return new Result(records, pos, crc, null);
    }
    return damage(records, pos, crc, what);
  }

  private Result damage(List<Decoded> records, int pos, int crc, String what) {
    if (!last) {
      throw corrupt(pos, what + " in a segment that is not the last one");
    }
    int q = nextHeader(pos + 8);
    if (q >= 0) {
      throw corrupt(pos, what + ", followed by a record at offset " + q);
    }
    return new Result(records, pos, crc, new TornTail(pos, Math.max(pos, nonZeroEnd(pos)), what));
  }

  /** Whether a frame at {@code pos} is whole and chains from {@code prevCrc}. */
  private boolean validFrameAt(int pos, int prevCrc) {
    if (pos < 0 || data.length - pos < Frame.HEADER_BYTES) {
      return false;
    }
    int length = Frame.getInt(data, pos);
    if (!Frame.validHeader(length, Frame.getInt(data, pos + 4))) {
      return false;
    }
    long frame = Frame.frameBytes(length);
    return pos + frame <= data.length
        && Frame.getInt(data, pos + 8) == Frame.crc(prevCrc, data, pos, (int) frame);
  }

  /** The first aligned offset at or after {@code from} holding a valid header, or -1. */
  private int nextHeader(int from) {
    for (int q = from; q <= data.length - Frame.HEADER_BYTES; q += Frame.ALIGN_BYTES) {
      int length = Frame.getInt(data, q);
      if (length != 0
          && Frame.validHeader(length, Frame.getInt(data, q + 4))
          && q + Frame.frameBytes(length) <= data.length) {
        return q;
      }
    }
    return -1;
  }

  /** One past the last non-zero byte at or after {@code from}; {@code from} if all are zero. */
  private int nonZeroEnd(int from) {
    for (int i = data.length - 1; i >= from; i--) {
      if (data[i] != 0) {
        return i + 1;
      }
    }
    return from;
  }

  /**
   * Whether some sector's share of {@code [from, to)}, at least 8 bytes long, is all zero: a part
   * of the record the disk never wrote.
   */
  private boolean hasUnwrittenSector(int from, int to) {
    for (long s = from / SECTOR_BYTES * (long) SECTOR_BYTES; s < to; s += SECTOR_BYTES) {
      int lo = (int) Math.max(from, s);
      int hi = (int) Math.min(to, s + SECTOR_BYTES);
      if (hi - lo >= 8 && allZero(lo, hi)) {
        return true;
      }
    }
    return false;
  }

  private boolean allZero(int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      if (data[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private CorruptWalException corrupt(long offset, String what) {
    return new CorruptWalException(file, offset, what);
  }

  static String hex(int v) {
    return String.format("0x%08x", v);
  }

  /** The first record of a segment, which must be its crc record. */
  static CrcRecord crcRecord(Path file, Result r) {
    if (r.records().isEmpty() || !(r.records().get(0).record() instanceof CrcRecord c)) {
      throw new CorruptWalException(file, 0, "the segment does not begin with a crc record");
    }
    return c;
  }
}

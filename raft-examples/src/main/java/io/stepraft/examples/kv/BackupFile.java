package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A backup of one node's state machine, as {@code POST /snapshot} returns it and {@code --restore}
 * reads it: magic {@code SKVBAK01}, the applied index it was taken at (8 bytes), the state
 * machine's snapshot (4-byte length, then the bytes), and a CRC-32C of everything before it.
 *
 * @param appliedIndex the index the node had applied when the backup was taken
 * @param data the state machine's snapshot ({@link KvStateMachine#snapshot()})
 */
record BackupFile(long appliedIndex, ByteString data) {
  private static final byte[] MAGIC = "SKVBAK01".getBytes(StandardCharsets.US_ASCII);

  /** Largest backup read back; a larger file is refused rather than exhausting the heap. */
  static final long BYTES_MAX = 1L << 30;

  byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + 4 + data.size() + 4);
    b.put(MAGIC).putLong(appliedIndex).putInt(data.size()).put(data.asReadOnlyByteBuffer());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Decodes a backup.
   *
   * @throws IllegalArgumentException naming what is wrong: not a backup, truncated, bad checksum
   */
  static BackupFile decode(byte[] bytes) {
    int header = MAGIC.length + 8 + 4;
    if (bytes.length < header + 4) {
      throw new IllegalArgumentException(
          "not a stepraft-kv backup: only " + bytes.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("not a stepraft-kv backup: bad magic");
    }
    long applied = b.getLong();
    int length = b.getInt();
    if (length < 0 || length != bytes.length - header - 4) {
      throw new IllegalArgumentException(
          "backup truncated or padded: data length "
              + length
              + ", file "
              + bytes.length
              + " bytes");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, header + length);
    int expected = ByteBuffer.wrap(bytes, header + length, 4).getInt();
    if ((int) crc.getValue() != expected) {
      throw new IllegalArgumentException("backup checksum mismatch: the file is damaged");
    }
    return new BackupFile(applied, ByteString.copyFrom(bytes, header, length));
  }

  /** Reads and checks a backup file. */
  static BackupFile read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > BYTES_MAX) {
      throw new IllegalArgumentException("backup " + file + " is " + size + " bytes, over 1 GiB");
    }
    return decode(Files.readAllBytes(file));
  }
}

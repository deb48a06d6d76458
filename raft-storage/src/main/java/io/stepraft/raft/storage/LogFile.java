package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file, with positional reads and writes. Every file raft-storage writes goes through this
 * interface (and {@link FileIo}), so that tests can inject a full disk, a failed fsync or the loss
 * of unsynced writes.
 */
interface LogFile extends AutoCloseable {

  /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at end of file. */
  int read(ByteBuffer dst, long position) throws IOException;

  /** Writes all of {@code src} at {@code position}, extending the file if needed. */
  void write(ByteBuffer src, long position) throws IOException;

  /** Makes every write so far durable (file data; the size too when it changed). */
  void force() throws IOException;

  /** The current size in bytes. */
  long size() throws IOException;

  /** Cuts the file to {@code sizeBytes}. */
  void truncate(long sizeBytes) throws IOException;

  @Override
  void close() throws IOException;

  /** Reads the whole file into memory; it must be smaller than 2 GiB. */
  default byte[] readAll() throws IOException {
    long size = size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("file of " + size + " bytes is too large to read at once");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining()) {
      if (read(buf, buf.position()) < 0) {
        break;
      }
    }
    byte[] out = new byte[buf.position()];
    buf.flip().get(out);
    return out;
  }
}

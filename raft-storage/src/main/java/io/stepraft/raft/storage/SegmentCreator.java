package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Creates a segment file so that it appears under its name only whole: a temporary file
 * preallocated with zeros (a full disk fails here, not in the middle of a record), its header
 * records, an fsync, a rename to its name, and an fsync of the directory.
 */
final class SegmentCreator {
  private static final int ZERO_CHUNK_BYTES = 1 << 20;

  private SegmentCreator() {}

  /**
   * Creates {@code dir/name} holding {@code header} at offset 0, then zeros up to {@code
   * sizeBytes}.
   *
   * @return the new segment, open for writing
   */
  static LogFile create(
      FileIo io, Path dir, SegmentName name, ByteBuffer header, long sizeBytes, boolean sync)
      throws IOException {
    Path path = dir.resolve(name.fileName());
    Path tmp = dir.resolve(name.fileName() + WalDirectory.TMP_SUFFIX);
    LogFile f = io.open(tmp, true);
    try {
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK_BYTES, sizeBytes));
      for (long at = 0; at < sizeBytes; at += zeros.capacity()) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), sizeBytes - at));
        f.write(zeros, at);
      }
      f.write(header, 0);
      if (sync) {
        f.force();
      }
      io.rename(tmp, path);
      if (sync) {
        io.syncDirectory(dir);
      }
      return f;
    } catch (IOException e) {
      f.close();
      throw e;
    }
  }
}

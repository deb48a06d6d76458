package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Creates a segment file so that it appears under its name only whole: a temporary file
 * preallocated with zeros (a full disk fails here, not in the middle of a record), its header
 * records, an fsync, a rename to its name, and an fsync of the directory.
 *
 * <p>The two halves can run apart: {@link #preallocate} (zeros, then an fsync) ahead of time on
 * another thread, and {@link #install} (header, fsync, rename, directory fsync) at the cut.
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
    Path tmp = dir.resolve(name.fileName() + WalDirectory.TMP_SUFFIX);
    LogFile f = io.open(tmp, true);
    try {
      zeroFill(f, sizeBytes, () -> false);
    } catch (IOException e) {
      f.close();
      throw e;
    }
    return install(io, dir, name, f, tmp, header, sync);
  }

  /**
   * Creates {@code tmp} (replacing any file there) filled with {@code sizeBytes} zeros and, when
   * {@code sync} is true, fsync'd: a segment-to-be that {@link #install} turns into a segment.
   *
   * @param stopped checked before each 1 MiB chunk; when it returns true the file is closed and an
   *     IOException thrown
   * @return the file, open for writing
   */
  static LogFile preallocate(
      FileIo io, Path tmp, long sizeBytes, boolean sync, BooleanSupplier stopped)
      throws IOException {
    io.delete(tmp);
    LogFile f = io.open(tmp, true);
    try {
      zeroFill(f, sizeBytes, stopped);
      if (sync) {
        f.force();
      }
      return f;
    } catch (IOException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Writes {@code header} at offset 0 of the preallocated {@code f} (named {@code tmp}), fsyncs it,
   * renames it to {@code dir/name} and fsyncs the directory. On failure {@code f} is closed.
   *
   * @return {@code f}, now the segment {@code name}
   */
  static LogFile install(
      FileIo io, Path dir, SegmentName name, LogFile f, Path tmp, ByteBuffer header, boolean sync)
      throws IOException {
    try {
      f.write(header, 0);
      if (sync) {
        f.force();
      }
      io.rename(tmp, dir.resolve(name.fileName()));
      if (sync) {
        io.syncDirectory(dir);
      }
      return f;
    } catch (IOException e) {
      f.close();
      throw e;
    }
  }

  private static void zeroFill(LogFile f, long sizeBytes, BooleanSupplier stopped)
      throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK_BYTES, sizeBytes));
    for (long at = 0; at < sizeBytes; at += zeros.capacity()) {
      if (stopped.getAsBoolean()) {
        throw new IOException("preallocation stopped: the WAL is closing");
      }
      zeros.clear().limit((int) Math.min(zeros.capacity(), sizeBytes - at));
      f.write(zeros, at);
    }
  }
}

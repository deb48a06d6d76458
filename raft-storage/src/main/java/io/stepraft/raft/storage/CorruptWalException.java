package io.stepraft.raft.storage;

import java.nio.file.Path;

/**
 * The data directory holds damage that a crash cannot explain: a checksum mismatch followed by more
 * records, a broken checksum chain, a missing or renamed segment, an entry index gap, or metadata
 * that differs from the one the host expects. Nothing is repaired or truncated; the message names
 * the file, the byte offset and what was wrong.
 *
 * <p>What the operator does next: take the node out of the cluster, keep the directory for
 * inspection, wipe it and let the node rejoin (it catches up from the leader by snapshot and log),
 * or restore it from a peer. See {@code docs/storage.md}.
 */
public final class CorruptWalException extends StorageException {
  private final transient Path file;
  private final long offset;

  /**
   * Creates an exception for damage found in {@code file} at byte {@code offset}.
   *
   * @param file the damaged file
   * @param offset the byte offset in {@code file} where the damage starts, or -1 if it concerns the
   *     file as a whole
   * @param what what was wrong, with the numbers involved
   */
  public CorruptWalException(Path file, long offset, String what) {
    super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + what);
    this.file = file;
    this.offset = offset;
  }

  /**
   * The damaged file.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * Where the damage starts.
   *
   * @return the byte offset in {@link #file()}, or -1 if the damage concerns the file as a whole
   */
  public long offset() {
    return offset;
  }
}

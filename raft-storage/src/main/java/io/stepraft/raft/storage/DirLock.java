package io.stepraft.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The exclusive lock on a data directory's {@code LOCK} file, held while the directory is open. */
final class DirLock implements Closeable {
  static final String FILE_NAME = "LOCK";
  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock.
   *
   * @throws StorageLockedException if another process or another instance in this one holds it
   */
  static DirLock acquire(Path dir) throws IOException {
    Path path = dir.resolve(FILE_NAME);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new StorageLockedException(
          path + " is locked: the data directory is open in another process or instance");
    }
    return new DirLock(ch, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}

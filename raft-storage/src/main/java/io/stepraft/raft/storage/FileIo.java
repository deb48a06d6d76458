package io.stepraft.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file system operations raft-storage uses. {@link #SYSTEM} is the real one; tests wrap it to
 * inject faults.
 */
interface FileIo {

  /** Opens {@code path} for reading and writing, creating it when {@code create} is true. */
  LogFile open(Path path, boolean create) throws IOException;

  /** The regular files directly in {@code dir}, in no particular order. */
  List<Path> list(Path dir) throws IOException;

  /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
  void rename(Path from, Path to) throws IOException;

  /** Deletes {@code path} if it exists. */
  void delete(Path path) throws IOException;

  /** Creates {@code dir} and its parents if absent. */
  void createDirectories(Path dir) throws IOException;

  /** Makes the directory's entries (files created, renamed, deleted) durable. */
  void syncDirectory(Path dir) throws IOException;

  /**
   * Takes the exclusive lock on the data directory {@code dir}, held until the result is closed.
   *
   * @throws StorageLockedException if another process or another instance in this one holds it
   */
  Closeable lock(Path dir) throws IOException;

  /** The real file system, through {@link FileChannel}. */
  FileIo SYSTEM =
      new FileIo() {
        @Override
        public LogFile open(Path path, boolean create) throws IOException {
          FileChannel ch =
              create
                  ? FileChannel.open(
                      path,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.READ,
                      StandardOpenOption.WRITE)
                  : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
          return new ChannelLogFile(ch);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
          try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(Files::isRegularFile).forEach(out::add);
            return out;
          }
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void delete(Path path) throws IOException {
          Files.deleteIfExists(path);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
          Files.createDirectories(dir);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
          try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
          }
        }

        @Override
        public Closeable lock(Path dir) throws IOException {
          return DirLock.acquire(dir);
        }
      };
}

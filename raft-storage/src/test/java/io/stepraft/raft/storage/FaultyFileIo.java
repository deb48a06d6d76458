package io.stepraft.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The real file system with faults injected: a disk that fills up after a budget of bytes (the
 * write that crosses it is partly done, then fails with ENOSPC), an fsync that fails, and — with
 * {@link #holdUnsyncedWrites} — writes that stay in memory until the file is fsync'd, so that
 * {@link #powerLoss} can drop them as a power cut would.
 *
 * <p>The power loss model: what was fsync'd stays; of the writes since, a prefix in write order
 * reaches the disk, cut at a 512-byte sector boundary of the file.
 */
final class FaultyFileIo implements FileIo {
  private final FileIo real = FileIo.SYSTEM;
  private final List<FaultyFile> files = new ArrayList<>();
  private long spaceLeftBytes = Long.MAX_VALUE;
  private int forcesBeforeFailure = -1;
  private boolean holdUnsyncedWrites;
  private String fullForFileName;

  /** Writes fail with ENOSPC once {@code bytes} more have been written. */
  synchronized FaultyFileIo spaceLeft(long bytes) {
    spaceLeftBytes = bytes;
    return this;
  }

  /** Every write to a file named {@code fileName} fails with ENOSPC, without writing anything. */
  synchronized FaultyFileIo fullFor(String fileName) {
    fullForFileName = fileName;
    return this;
  }

  /** The fsync after {@code count} more successful ones fails. */
  synchronized FaultyFileIo failForceAfter(int count) {
    forcesBeforeFailure = count;
    return this;
  }

  /** Writes reach the file only when it is fsync'd (or, partly, at {@link #powerLoss}). */
  synchronized FaultyFileIo holdUnsyncedWrites() {
    holdUnsyncedWrites = true;
    return this;
  }

  /**
   * Cuts the power: every open file keeps a prefix of its unsynced writes, in write order, ending
   * at a random sector boundary; the rest is lost. The files are closed.
   */
  synchronized void powerLoss(Random random) throws IOException {
    for (FaultyFile f : files) {
      f.crash(random);
    }
    files.clear();
  }

  @Override
  public synchronized LogFile open(Path path, boolean create) throws IOException {
    FaultyFile f = new FaultyFile(path, real.open(path, create));
    files.add(f);
    return f;
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    return real.list(dir);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    real.rename(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    real.delete(path);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    real.createDirectories(dir);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    real.syncDirectory(dir);
  }

  @Override
  public Closeable lock(Path dir) throws IOException {
    return real.lock(dir);
  }

  private record Pending(long position, byte[] bytes) {}

  private final class FaultyFile implements LogFile {
    private final Path path;
    private final LogFile inner;
    private final List<Pending> pending = new ArrayList<>();
    private boolean closed;

    FaultyFile(Path path, LogFile inner) {
      this.path = path;
      this.inner = inner;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return inner.read(dst, position);
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
      synchronized (FaultyFileIo.this) {
        if (path.getFileName().toString().equals(fullForFileName)) {
          throw new IOException("No space left on device (injected for " + path + ")");
        }
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        boolean full = bytes.length > spaceLeftBytes;
        int n = full ? (int) spaceLeftBytes : bytes.length;
        spaceLeftBytes -= n;
        byte[] done = n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
        if (holdUnsyncedWrites) {
          pending.add(new Pending(position, done));
        } else {
          inner.write(ByteBuffer.wrap(done), position);
        }
        if (full) {
          throw new IOException("No space left on device (injected)");
        }
      }
    }

    @Override
    public void force() throws IOException {
      synchronized (FaultyFileIo.this) {
        if (forcesBeforeFailure == 0) {
          forcesBeforeFailure = -1;
          throw new IOException("Input/output error: fsync failed (injected)");
        }
        if (forcesBeforeFailure > 0) {
          forcesBeforeFailure--;
        }
        for (Pending p : pending) {
          inner.write(ByteBuffer.wrap(p.bytes()), p.position());
        }
        pending.clear();
        inner.force();
      }
    }

    void crash(Random random) throws IOException {
      if (closed) {
        return;
      }
      long total = 0;
      for (Pending p : pending) {
        total += p.bytes().length;
      }
      long keep = total == 0 ? 0 : (long) (random.nextDouble() * (total + 1));
      for (Pending p : pending) {
        if (keep <= 0) {
          break;
        }
        int n = (int) Math.min(keep, p.bytes().length);
        long end = p.position() + n;
        if (n < p.bytes().length) {
          end = end / SegmentReader.SECTOR_BYTES * SegmentReader.SECTOR_BYTES;
          n = (int) Math.max(0, end - p.position());
        }
        inner.write(ByteBuffer.wrap(p.bytes(), 0, n), p.position());
        keep -= p.bytes().length;
      }
      pending.clear();
      closed = true;
      inner.close();
    }

    @Override
    public long size() throws IOException {
      return inner.size();
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
      inner.truncate(sizeBytes);
    }

    @Override
    public void close() throws IOException {
      synchronized (FaultyFileIo.this) {
        if (!closed) {
          closed = true;
          inner.close();
        }
      }
    }
  }
}

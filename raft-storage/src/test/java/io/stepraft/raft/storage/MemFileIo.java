package io.stepraft.raft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A file system in memory, for the simulator: deterministic, fast, and able to crash. Each file
 * keeps what its last fsync made durable and the writes since; {@link #crash} drops those writes,
 * or (torn) keeps a prefix of them in write order that ends at a 512-byte sector boundary of the
 * file, as {@link FaultyFileIo}'s power loss does. {@link #flipBit} damages durable data.
 *
 * <p>Directory operations (create, rename, delete) are durable at once: the WAL syncs the directory
 * after each, so this model does not exercise losing them. Single-threaded.
 */
final class MemFileIo implements FileIo {
  private final Map<Path, MemFile> files = new TreeMap<>();
  private final Set<Path> dirs = new HashSet<>();
  private final Set<Path> locked = new HashSet<>();

  /** A write or a truncation since the last fsync. */
  private record Op(long position, byte[] bytes, long truncateTo) {}

  private static final class MemFile {
    byte[] durable = new byte[0];
    byte[] current = new byte[0];
    final List<Op> ops = new ArrayList<>();

    void write(long position, byte[] bytes) {
      int end = Math.toIntExact(position + bytes.length);
      if (end > current.length) {
        current = Arrays.copyOf(current, end);
      }
      System.arraycopy(bytes, 0, current, (int) position, bytes.length);
    }

    void truncate(long size) {
      if (size < current.length) {
        current = Arrays.copyOf(current, (int) size);
      }
    }

    void force() {
      durable = current.clone();
      ops.clear();
    }

    void crash(SplittableRandom rng, boolean torn) {
      current = durable.clone();
      if (torn && !ops.isEmpty()) {
        long total = 0;
        for (Op op : ops) {
          total += op.bytes() == null ? 0 : op.bytes().length;
        }
        long keep = rng.nextLong(total + 1);
        for (Op op : ops) {
          if (op.bytes() == null) {
            truncate(op.truncateTo());
            continue;
          }
          if (keep <= 0) {
            break;
          }
          int n = (int) Math.min(keep, op.bytes().length);
          if (n < op.bytes().length) {
            long end =
                (op.position() + n) / SegmentReader.SECTOR_BYTES * SegmentReader.SECTOR_BYTES;
            n = (int) Math.max(0, end - op.position());
          }
          write(op.position(), Arrays.copyOf(op.bytes(), n));
          keep -= op.bytes().length;
        }
      }
      durable = current.clone();
      ops.clear();
    }
  }

  /**
   * The process dies: every file loses its writes since its last fsync, or with {@code torn} keeps
   * a prefix of them; the locks are released.
   */
  void crash(SplittableRandom rng, boolean torn) {
    for (MemFile f : files.values()) {
      f.crash(rng, torn);
    }
    locked.clear();
  }

  /** The files directly in {@code dir}, in name order. */
  List<Path> filesIn(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path p : files.keySet()) {
      if (dir.equals(p.getParent())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Flips a random bit of {@code path}'s durable contents up to its last non-zero byte (so inside
   * what was written, not in the zeros preallocated after it); returns the byte offset, or -1 if
   * the file holds no non-zero byte.
   */
  long flipBit(Path path, SplittableRandom rng) {
    MemFile f = files.get(path);
    int end = f.durable.length;
    while (end > 0 && f.durable[end - 1] == 0) {
      end--;
    }
    if (end == 0) {
      return -1;
    }
    int at = rng.nextInt(end);
    f.durable[at] ^= (byte) (1 << rng.nextInt(8));
    f.current = f.durable.clone();
    return at;
  }

  @Override
  public LogFile open(Path path, boolean create) throws IOException {
    MemFile f = files.get(path);
    if (f == null) {
      if (!create) {
        throw new NoSuchFileException(path.toString());
      }
      if (!dirs.contains(path.getParent())) {
        throw new NoSuchFileException(path.getParent().toString());
      }
      f = new MemFile();
      files.put(path, f);
    }
    return new Handle(path, f);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    if (!dirs.contains(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    return filesIn(dir);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    MemFile f = files.remove(from);
    if (f == null) {
      throw new NoSuchFileException(from.toString());
    }
    files.put(to, f);
  }

  @Override
  public void delete(Path path) {
    files.remove(path);
  }

  @Override
  public void createDirectories(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      dirs.add(p);
    }
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    if (!dirs.contains(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
  }

  @Override
  public Closeable lock(Path dir) {
    if (!locked.add(dir)) {
      throw new StorageLockedException(dir + " is locked (in memory)");
    }
    return () -> locked.remove(dir);
  }

  /** An open file: it follows the file through renames, as a file descriptor does. */
  private static final class Handle implements LogFile {
    private final Path path;
    private final MemFile file;
    private boolean closed;

    Handle(Path path, MemFile file) {
      this.path = path;
      this.file = file;
    }

    private MemFile file() throws IOException {
      if (closed) {
        throw new IOException(path + " is closed");
      }
      return file;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      MemFile f = file();
      if (position >= f.current.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), f.current.length - position);
      dst.put(f.current, (int) position, n);
      return n;
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
      MemFile f = file();
      byte[] bytes = new byte[src.remaining()];
      src.get(bytes);
      f.write(position, bytes);
      f.ops.add(new Op(position, bytes, -1));
    }

    @Override
    public void force() throws IOException {
      file().force();
    }

    @Override
    public long size() throws IOException {
      return file().current.length;
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
      MemFile f = file();
      f.truncate(sizeBytes);
      f.ops.add(new Op(0, null, sizeBytes));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}

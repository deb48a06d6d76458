package io.stepraft.raft.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot files, one per snapshot, named {@code %016x-%016x.snap} (term, index). A file is written
 * atomically: to a temporary file, fsync'd, renamed, and the directory fsync'd. Its layout
 * (little-endian):
 *
 * <pre>
 * u32 magic "SRSN", u32 CRC32C of the body, u64 body length, body: the Snapshot message
 * </pre>
 */
final class Snapshotter {
  static final String SUFFIX = ".snap";
  private static final int MAGIC = 0x4e535253; // "SRSN" little-endian
  private static final int HEADER_BYTES = 16;
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");
  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

  private final Path dir;
  private final FileIo io;
  private final boolean syncEnabled;

  Snapshotter(Path dir, FileIo io, boolean syncEnabled) {
    this.dir = dir;
    this.io = io;
    this.syncEnabled = syncEnabled;
  }

  static String fileName(long term, long index) {
    return String.format("%016x-%016x%s", term, index, SUFFIX);
  }

  Path path(long term, long index) {
    return dir.resolve(fileName(term, index));
  }

  /** Writes {@code snap} to its file atomically and durably. */
  void save(Snapshot snap) throws IOException {
    SnapshotMetadata meta = snap.getMetadata();
    byte[] body = snap.toByteArray();
    CRC32C c = new CRC32C();
    c.update(body);
    byte[] file = new byte[HEADER_BYTES + body.length];
    Frame.putInt(file, 0, MAGIC);
    Frame.putInt(file, 4, (int) c.getValue());
    Frame.putLong(file, 8, body.length);
    System.arraycopy(body, 0, file, HEADER_BYTES, body.length);
    Path path = path(meta.getTerm(), meta.getIndex());
    Path tmp = dir.resolve(path.getFileName() + WalDirectory.TMP_SUFFIX);
    try (LogFile f = io.open(tmp, true)) {
      f.truncate(0);
      f.write(ByteBuffer.wrap(file), 0);
      if (syncEnabled) {
        f.force();
      }
    }
    io.rename(tmp, path);
    if (syncEnabled) {
      io.syncDirectory(dir);
    }
  }

  /**
   * Loads the snapshot at {@code term}, {@code index}, or returns null (and logs why) if its file
   * is missing or damaged.
   */
  Snapshot load(long term, long index) throws IOException {
    Path path = path(term, index);
    if (!io.list(dir).contains(path)) {
      LOG.warn("snapshot file {} is missing", path);
      return null;
    }
    byte[] data;
    try (LogFile f = io.open(path, false)) {
      data = f.readAll();
    }
    String damage = check(data, term, index);
    if (damage != null) {
      LOG.warn("snapshot file {} is damaged, skipping it: {}", path, damage);
      return null;
    }
    return Snapshot.parseFrom(ByteBuffer.wrap(data, HEADER_BYTES, data.length - HEADER_BYTES));
  }

  private static String check(byte[] data, long term, long index) {
    if (data.length < HEADER_BYTES) {
      return "only " + data.length + " bytes";
    }
    if (Frame.getInt(data, 0) != MAGIC) {
      return "bad magic at offset 0";
    }
    long length = Frame.getLong(data, 8);
    if (length != data.length - HEADER_BYTES) {
      return "body length " + length + " but " + (data.length - HEADER_BYTES) + " bytes follow";
    }
    CRC32C c = new CRC32C();
    c.update(data, HEADER_BYTES, data.length - HEADER_BYTES);
    int stored = Frame.getInt(data, 4);
    if ((int) c.getValue() != stored) {
      return "checksum mismatch (stored "
          + SegmentReader.hex(stored)
          + ", computed "
          + SegmentReader.hex((int) c.getValue())
          + ")";
    }
    try {
      SnapshotMetadata m =
          Snapshot.parseFrom(ByteBuffer.wrap(data, HEADER_BYTES, data.length - HEADER_BYTES))
              .getMetadata();
      if (m.getTerm() != term || m.getIndex() != index) {
        return "holds term " + m.getTerm() + ", index " + m.getIndex();
      }
    } catch (InvalidProtocolBufferException e) {
      return "does not parse: " + e.getMessage();
    }
    return null;
  }

  /** Deletes all but the newest {@code retained} snapshot files, and leftover temporary files. */
  void retain(int retained) throws IOException {
    List<Path> snaps = new ArrayList<>();
    boolean deleted = false;
    for (Path p : io.list(dir)) {
      String name = p.getFileName().toString();
      if (name.endsWith(SUFFIX + WalDirectory.TMP_SUFFIX)) {
        io.delete(p);
        deleted = true;
      } else if (NAME.matcher(name).matches()) {
        snaps.add(p);
      }
    }
    snaps.sort(Comparator.comparingLong(Snapshotter::indexOf).reversed());
    for (int i = retained; i < snaps.size(); i++) {
      LOG.debug("deleting snapshot file {} beyond retention of {}", snaps.get(i), retained);
      io.delete(snaps.get(i));
      deleted = true;
    }
    if (deleted && syncEnabled) {
      io.syncDirectory(dir);
    }
  }

  private static long indexOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseUnsignedLong(m.group(2), 16) : -1;
  }
}

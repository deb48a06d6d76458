package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.storage.WalRecord.EntryRecord;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import io.stepraft.raft.storage.WalRecord.StateRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: segments under one directory, records framed by {@link Frame} with a
 * checksum chained across records and segments. {@link #open} replays it ({@link #groups()}), cuts
 * a torn tail, and positions the writer after the last whole record.
 *
 * <p>Thread-safe. {@link #save} may be called from many threads: each call writes its records under
 * a lock, then syncs outside it, and one fsync covers every record written before it (group
 * commit). Any write or fsync error fail-stops the log: that call and every later one throw {@link
 * WalFailedException}.
 *
 * <p>In background mode a {@link SparePreallocator} thread zero-fills the next segment's file while
 * the current one fills up; the cut only writes its header, so a save that cuts does not pay for
 * the zeros. A failure to prepare the spare (a full disk) fail-stops the log at the cut that needs
 * it, as an inline preallocation would have.
 */
final class Wal implements AutoCloseable {
  static final long DEFAULT_GROUP = 1;

  /**
   * The most one {@link #save} may write: 1 GiB, so that a segment (at most 1 GiB, or one batch
   * after a header when the batch does not fit) stays small enough to be read back at once.
   */
  static final int BATCH_BYTES_MAX = 1 << 30;

  private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

  private final Path dir;
  private final FileIo io;
  private final long segmentSizeBytes;
  private final boolean syncEnabled;
  private final ByteString metadata;
  private final Map<Long, GroupLog> replayed;
  // Prepares the next segment's file ahead of time; null when segments are preallocated inline.
  private final SparePreallocator spares;

  private final ReentrantLock writeLock = new ReentrantLock();
  private final Object syncLock = new Object();
  // Guarded by writeLock: the segments (oldest first, the last is written), the write position in
  // it, the checksum the next record chains from, the per-group tracking.
  private final ArrayList<Segment> segments = new ArrayList<>();
  private final Map<Long, GroupTrack> tracks = new TreeMap<>();
  private final FrameWriter writer = new FrameWriter();
  private long position;
  private long headerEnd;
  private int crc;
  private long writtenBytes;
  private final AtomicLong syncedBytes = new AtomicLong();
  private final AtomicLong syncCount = new AtomicLong();
  private volatile WalFailedException failure;
  private volatile boolean closed;

  private Wal(
      Path dir,
      FileIo io,
      long segmentSizeBytes,
      boolean syncEnabled,
      ByteString metadata,
      Map<Long, GroupLog> replayed,
      boolean preallocateInBackground) {
    this.dir = dir;
    this.io = io;
    this.segmentSizeBytes = segmentSizeBytes;
    this.syncEnabled = syncEnabled;
    this.metadata = metadata;
    this.replayed = replayed;
    this.spares =
        preallocateInBackground
            ? new SparePreallocator(io, dir, segmentSizeBytes, syncEnabled)
            : null;
  }

  /**
   * Opens the WAL in {@code dir} with each new segment preallocated inline, on the thread that cuts
   * it (tests that inject faults at precise I/O operations rely on that order).
   */
  static Wal open(
      Path dir,
      FileIo io,
      long segmentSizeBytes,
      boolean syncEnabled,
      ByteString expectedMetadata) {
    return open(dir, io, segmentSizeBytes, syncEnabled, expectedMetadata, false);
  }

  /**
   * Opens the WAL in {@code dir}, creating it when there is no segment.
   *
   * @param expectedMetadata the host's metadata: written when the WAL is created; when non-empty,
   *     it must equal the WAL's
   * @param preallocateInBackground whether the next segment's file is zero-filled ahead of time on
   *     the WAL's own thread ({@link SparePreallocator}) instead of at the cut
   * @throws CorruptWalException for damage that a crash does not explain
   * @throws WalFailedException if reading, repairing or creating fails
   */
  static Wal open(
      Path dir,
      FileIo io,
      long segmentSizeBytes,
      boolean syncEnabled,
      ByteString expectedMetadata,
      boolean preallocateInBackground) {
    try {
      io.createDirectories(dir);
      List<SegmentName> names = WalDirectory.segments(dir, io);
      WalReplay replay = names.isEmpty() ? null : WalReplay.run(dir, io, names, expectedMetadata);
      Wal wal =
          new Wal(
              dir,
              io,
              segmentSizeBytes,
              syncEnabled,
              replay == null ? expectedMetadata : replay.metadata(),
              replay == null ? Map.of() : replay.groups(),
              preallocateInBackground);
      if (replay != null) {
        wal.resume(replay);
      }
      wal.writeLock.lock();
      try {
        if (replay == null) {
          wal.startSegment(new SegmentName(0, 1), 0, false);
        }
        wal.startSpare();
      } finally {
        wal.writeLock.unlock();
      }
      return wal;
    } catch (IOException e) {
      throw new WalFailedException("opening the WAL in " + dir + " failed: " + e, e);
    }
  }

  private void resume(WalReplay replay) throws IOException {
    for (WalReplay.SegmentState s : replay.segments()) {
      LogFile f = io.open(s.path(), false);
      segments.add(new Segment(s.name(), s.path(), f, s.firstIndexByGroup()));
    }
    position = replay.endOffset();
    headerEnd = replay.headerEnd();
    crc = replay.lastCrc();
    for (GroupLog g : replay.groups().values()) {
      GroupTrack t = new GroupTrack();
      t.lastIndex = g.lastIndex();
      t.hardState = g.hardState();
      List<SnapshotRecord> snaps = g.snapshots();
      if (!snaps.isEmpty()) {
        t.snapshotIndex = snaps.get(snaps.size() - 1).index();
        t.snapshotSeq = replay.latestSnapshotSeq().getOrDefault(g.groupId, -1L);
      }
      tracks.put(g.groupId, t);
    }
  }

  /** The host metadata this WAL was created with. */
  ByteString metadata() {
    return metadata;
  }

  /** What replay found, per group id; empty for a new WAL. */
  Map<Long, GroupLog> groups() {
    return replayed;
  }

  /**
   * Appends, in this order, a snapshot record, entries and a hard state of one group, and when
   * {@code sync} is true returns only once they are durable.
   *
   * @param snapshot the snapshot record, or null
   * @param entries consecutive entries, possibly empty
   * @param hardState the hard state, or null
   */
  void save(
      long groupId,
      SnapshotRecord snapshot,
      List<Entry> entries,
      HardState hardState,
      boolean sync) {
    long target;
    writeLock.lock();
    try {
      checkUsable();
      checkAppend(groupId, snapshot, entries);
      encode(groupId, snapshot, entries, hardState);
      if (writer.size() == 0) {
        return;
      }
      if (writer.size() > BATCH_BYTES_MAX) {
        throw new IllegalArgumentException(
            "a save of " + writer.size() + " bytes exceeds the limit of " + BATCH_BYTES_MAX);
      }
      if (position + writer.size() > segmentSizeBytes && position > headerEnd) {
        cut();
        encode(groupId, snapshot, entries, hardState);
      }
      write(segments.get(segments.size() - 1), writer.bytes(), position);
      position += writer.size();
      writtenBytes += writer.size();
      crc = writer.crc();
      track(groupId, snapshot, entries, hardState);
      target = writtenBytes;
    } finally {
      writeLock.unlock();
    }
    if (sync) {
      syncTo(target);
    }
  }

  /** Returns once every record written so far is durable. */
  void sync() {
    long target;
    writeLock.lock();
    try {
      target = writtenBytes;
    } finally {
      writeLock.unlock();
    }
    syncTo(target);
  }

  /**
   * Refuses, before anything is written, entries that replay would reject: a gap, indexes that are
   * not consecutive, a group id that is not positive.
   */
  private void checkAppend(long groupId, SnapshotRecord snapshot, List<Entry> entries) {
    if (groupId < 1) {
      throw new IllegalArgumentException("group id must be positive, got " + groupId);
    }
    if (entries.isEmpty()) {
      return;
    }
    GroupTrack t = tracks.get(groupId);
    long last = t == null ? 0 : t.lastIndex;
    boolean known = last > 0;
    if (snapshot != null && snapshot.replacesLog()) {
      last = snapshot.index();
      known = true;
    }
    long expected = entries.get(0).getIndex();
    if (known && expected > last + 1) {
      throw new IllegalArgumentException(
          "entry index " + expected + " of group " + groupId + " leaves a gap after index " + last);
    }
    for (Entry e : entries) {
      if (e.getIndex() != expected++) {
        throw new IllegalArgumentException(
            "entries of group " + groupId + " are not consecutive at index " + e.getIndex());
      }
    }
  }

  private void encode(
      long groupId, SnapshotRecord snapshot, List<Entry> entries, HardState hardState) {
    writer.reset(crc);
    if (snapshot != null) {
      writer.add(snapshot);
    }
    for (Entry e : entries) {
      writer.add(new EntryRecord(groupId, e));
    }
    if (hardState != null) {
      writer.add(new StateRecord(groupId, hardState));
    }
  }

  private void track(
      long groupId, SnapshotRecord snapshot, List<Entry> entries, HardState hardState) {
    GroupTrack t = tracks.computeIfAbsent(groupId, g -> new GroupTrack());
    if (snapshot != null) {
      t.snapshotIndex = snapshot.index();
      t.snapshotSeq = segments.get(segments.size() - 1).name.seq();
      if (snapshot.replacesLog()) {
        t.lastIndex = snapshot.index();
      }
    }
    if (!entries.isEmpty()) {
      t.lastIndex = entries.get(entries.size() - 1).getIndex();
    }
    if (hardState != null) {
      t.hardState = hardState;
    }
  }

  private void syncTo(long target) {
    synchronized (syncLock) {
      checkUsable();
      if (syncedBytes.get() >= target) {
        return;
      }
      LogFile file;
      long upTo;
      writeLock.lock();
      try {
        file = segments.get(segments.size() - 1).file;
        upTo = writtenBytes;
      } finally {
        writeLock.unlock();
      }
      force(file);
      syncedBytes.accumulateAndGet(upTo, Math::max);
    }
  }

  private void force(LogFile file) {
    if (!syncEnabled) {
      return;
    }
    try {
      file.force();
      syncCount.incrementAndGet();
    } catch (IOException e) {
      throw fail("fsync of the WAL failed", e);
    }
  }

  private void write(Segment s, ByteBuffer bytes, long at) {
    try {
      s.file.write(bytes, at);
    } catch (IOException e) {
      throw fail("writing " + bytes.remaining() + " bytes at offset " + at + " of " + s.path, e);
    }
  }

  /** Syncs the current segment and starts the next one. Called with writeLock held. */
  private void cut() {
    Segment old = segments.get(segments.size() - 1);
    force(old.file);
    syncedBytes.accumulateAndGet(writtenBytes, Math::max);
    long first = tracks.containsKey(DEFAULT_GROUP) ? tracks.get(DEFAULT_GROUP).lastIndex + 1 : 1;
    try {
      startSegment(new SegmentName(old.name.seq() + 1, first), crc, spares != null);
    } catch (IOException e) {
      throw fail("starting WAL segment " + (old.name.seq() + 1) + " in " + dir + " failed", e);
    }
    LOG.debug("cut WAL segment {}, next {}", old, segments.get(segments.size() - 1));
    startSpare();
  }

  /** Starts preparing the next segment's file, in background mode. Called with writeLock held. */
  private void startSpare() {
    if (spares != null) {
      spares.start();
    }
  }

  /**
   * Creates the next segment with its header records (crc, metadata, each group's hard state): in
   * the spare when {@code fromSpare} (waiting for it; its preparation's error is thrown here), else
   * in a file preallocated now.
   */
  private void startSegment(SegmentName name, int prevCrc, boolean fromSpare) throws IOException {
    Map<Long, Long> firstIndexByGroup = new HashMap<>();
    writer.reset(prevCrc);
    writer.add(new WalRecord.CrcRecord(prevCrc, name.seq(), name.firstIndex()));
    writer.add(new WalRecord.Metadata(metadata));
    for (Map.Entry<Long, GroupTrack> t : tracks.entrySet()) {
      firstIndexByGroup.put(t.getKey(), t.getValue().lastIndex + 1);
      if (t.getValue().hardState != null) {
        writer.add(new StateRecord(t.getKey(), t.getValue().hardState));
      }
    }
    LogFile f =
        fromSpare
            ? SegmentCreator.install(
                io, dir, name, spares.take(), spares.path(), writer.bytes(), syncEnabled)
            : SegmentCreator.create(io, dir, name, writer.bytes(), segmentSizeBytes, syncEnabled);
    segments.add(new Segment(name, dir.resolve(name.fileName()), f, firstIndexByGroup));
    position = writer.size();
    headerEnd = position;
    crc = writer.crc();
    writtenBytes += writer.size();
    syncedBytes.accumulateAndGet(writtenBytes, Math::max);
  }

  /**
   * Deletes the oldest segments that no group needs any more: a segment may go when, for every
   * group, the next segment starts at or below the group's latest snapshot index + 1 and that
   * snapshot's record lies in the next segment or later.
   *
   * @return how many segments were deleted
   */
  int release() {
    synchronized (syncLock) {
      writeLock.lock();
      try {
        checkUsable();
        int released = 0;
        while (segments.size() > 1 && releasable(segments.get(1))) {
          Segment s = segments.remove(0);
          try {
            s.file.close();
            io.delete(s.path);
          } catch (IOException e) {
            throw fail("deleting WAL segment " + s.path + " failed", e);
          }
          LOG.info("released WAL segment {}", s);
          released++;
        }
        if (released > 0 && syncEnabled) {
          try {
            io.syncDirectory(dir);
          } catch (IOException e) {
            throw fail("fsync of WAL directory " + dir + " failed", e);
          }
        }
        return released;
      } finally {
        writeLock.unlock();
      }
    }
  }

  private boolean releasable(Segment next) {
    for (Map.Entry<Long, GroupTrack> e : tracks.entrySet()) {
      Long first = next.firstIndexByGroup.get(e.getKey());
      if (e.getValue().needsSegmentsBefore(next.name.seq(), first)) {
        return false;
      }
    }
    return true;
  }

  /** The segments' names, oldest first. */
  List<SegmentName> segmentNames() {
    writeLock.lock();
    try {
      List<SegmentName> out = new ArrayList<>();
      for (Segment s : segments) {
        out.add(s.name);
      }
      return out;
    } finally {
      writeLock.unlock();
    }
  }

  /** How many fsyncs of segment data were issued (tests check group commit with it). */
  long syncCount() {
    return syncCount.get();
  }

  /** Marks the WAL failed; returns the exception to throw. */
  WalFailedException fail(String what, IOException cause) {
    WalFailedException e =
        new WalFailedException(what + ": " + cause + "; the WAL is fail-stopped", cause);
    if (failure == null) {
      failure = e;
    }
    LOG.error("WAL in {} failed: {}", dir, e.getMessage());
    return e;
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("the WAL in " + dir + " is closed");
    }
    WalFailedException f = failure;
    if (f != null) {
      throw new WalFailedException("the WAL failed earlier: " + f.getMessage(), f);
    }
  }

  @Override
  public void close() {
    synchronized (syncLock) {
      writeLock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        if (spares != null) {
          spares.close();
        }
        IOException first = null;
        if (failure == null && syncEnabled && !segments.isEmpty()) {
          try {
            segments.get(segments.size() - 1).file.force();
          } catch (IOException e) {
            first = e;
          }
        }
        for (Segment s : segments) {
          try {
            s.file.close();
          } catch (IOException e) {
            first = first == null ? e : first;
          }
        }
        if (first != null) {
          throw new WalFailedException("closing the WAL in " + dir + " failed: " + first, first);
        }
      } finally {
        writeLock.unlock();
      }
    }
  }
}

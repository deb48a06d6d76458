package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.SnapshotOutOfDateException;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A node's durable storage: a write-ahead log under {@code dir/wal} and snapshot files under {@code
 * dir/snap}, replayed at {@link #open} into the {@link MemoryStorage} that raft reads.
 *
 * <p>Handle each {@link Ready} with {@link #save} before sending its messages: when {@code save}
 * returns, the Ready's snapshot, entries and hard state are durable (fsync'd when {@link
 * Ready#mustSync()}) and visible in {@link #raftStorage()}. Take snapshots of the applied state
 * with {@link #createSnapshot} and drop old entries and segments with {@link #compact}. See {@code
 * docs/storage.md} for the file layout and what is fsync'd when.
 *
 * <p>Not thread-safe: call it from the thread that drives the {@code RawNode}, which also reads
 * {@link #raftStorage()}. Errors are unchecked {@link StorageException}s: {@link
 * WalFailedException} after an I/O error (every later call throws it too; restart the process),
 * {@link CorruptWalException} at open for damage a crash does not explain, {@link
 * StorageLockedException} when the directory is already open.
 */
public final class DurableStorage implements AutoCloseable {
  static final String WAL_DIR = "wal";
  static final String SNAP_DIR = "snap";
  private static final long GROUP = Wal.DEFAULT_GROUP;

  private final Path dir;
  private final StorageOptions options;
  private final Closeable lock;
  private final Wal wal;
  private final Snapshotter snapshotter;
  private final MemoryStorage storage;
  private ByteString snapshotData;
  private boolean empty;
  private boolean closed;

  private DurableStorage(
      Path dir,
      StorageOptions options,
      Closeable lock,
      Wal wal,
      Snapshotter snapshotter,
      Restore.Result restored,
      boolean empty) {
    this.dir = dir;
    this.options = options;
    this.lock = lock;
    this.wal = wal;
    this.snapshotter = snapshotter;
    this.storage = restored.storage();
    this.snapshotData = restored.snapshot().getData();
    this.empty = empty;
  }

  /**
   * Opens the data directory {@code dir}, creating it if absent: takes its lock file, replays the
   * WAL and the latest valid snapshot into a {@link MemoryStorage}, and cuts a torn tail left by a
   * crash (logging what was cut).
   *
   * @param dir the node's data directory
   * @param options segment size, snapshot retention, metadata, sync
   * @return the open storage
   * @throws CorruptWalException for damage a crash does not explain, or metadata that differs from
   *     a non-empty {@code options.metadata()}; the message names the file and the offset
   * @throws StorageLockedException if the directory is already open
   * @throws WalFailedException if reading or repairing the files fails
   */
  public static DurableStorage open(Path dir, StorageOptions options) {
    return open(dir, options, FileIo.SYSTEM);
  }

  static DurableStorage open(Path dir, StorageOptions options, FileIo io) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    Closeable lock;
    try {
      io.createDirectories(dir);
      lock = io.lock(dir);
    } catch (IOException e) {
      throw new WalFailedException("opening data directory " + dir + " failed: " + e, e);
    }
    Wal wal = null;
    try {
      Path snapDir = dir.resolve(SNAP_DIR);
      io.createDirectories(snapDir);
      wal =
          Wal.open(
              dir.resolve(WAL_DIR),
              io,
              options.segmentSizeBytes(),
              options.syncEnabled(),
              options.metadata(),
              options.preallocateInBackground());
      if (options.syncEnabled()) {
        io.syncDirectory(dir);
      }
      Snapshotter snapshotter = new Snapshotter(snapDir, io, options.syncEnabled());
      GroupLog group = wal.groups().get(GROUP);
      Restore.Result restored =
          Restore.run(
              group == null ? new GroupLog(GROUP) : group, snapshotter, dir.resolve(WAL_DIR));
      MemoryStorage ms = restored.storage();
      boolean empty =
          ms.lastIndex() == 0
              && ms.snapshot().getMetadata().getIndex() == 0
              && ms.hardState().equals(HardState.getDefaultInstance());
      return new DurableStorage(dir, options, lock, wal, snapshotter, restored, empty);
    } catch (IOException | RuntimeException e) {
      closeQuietly(wal, lock, e);
      if (e instanceof IOException io2) {
        throw new WalFailedException("opening data directory " + dir + " failed: " + e, io2);
      }
      throw (RuntimeException) e;
    }
  }

  private static void closeQuietly(Wal wal, Closeable lock, Exception cause) {
    try {
      if (wal != null) {
        wal.close();
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    try {
      lock.close();
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The log raft reads: give it to {@code Config.builder().storage(..)}. It reflects everything
   * saved, and is the same object for the life of this instance.
   *
   * @return the storage
   */
  public MemoryStorage raftStorage() {
    checkOpen();
    return storage;
  }

  /**
   * Whether nothing was ever saved here (no entry, hard state or snapshot): a brand-new node, which
   * the host bootstraps or has join a cluster. A node whose first write was torn by a crash
   * (entries durable, but no hard state with a term, so nothing was ever acknowledged) is empty
   * too: its partial log is dropped, so that a torn bootstrap is bootstrapped again rather than
   * restarted with a configuration that is a prefix of the real one.
   *
   * @return true for a node that never saved anything
   */
  public boolean isEmpty() {
    checkOpen();
    return empty;
  }

  /**
   * The host metadata written when the directory was created (from {@link
   * StorageOptions#metadata()}).
   *
   * @return the metadata, empty if none was given
   */
  public ByteString metadata() {
    checkOpen();
    return wal.metadata();
  }

  /**
   * Persists a Ready: its snapshot (file, then a WAL record), its entries, its hard state, fsync'd
   * when {@link Ready#mustSync()}; then applies them to {@link #raftStorage()}. Send the Ready's
   * messages only after this returns.
   *
   * @param ready the Ready being handled
   * @throws SnapshotOutOfDateException if the Ready's snapshot is not newer than the latest one
   *     (nothing is written)
   * @throws IllegalArgumentException if the Ready's entries leave a gap after the last one held
   *     (nothing is written)
   * @throws WalFailedException if a write or fsync fails, now or earlier
   */
  public void save(Ready ready) {
    checkOpen();
    save(
        ready.hasSnapshot() ? ready.snapshot() : null,
        ready.entries(),
        ready.hasHardState() ? ready.hardState() : null,
        ready.mustSync());
  }

  /**
   * Persists a snapshot received from the leader, entries and a hard state (each may be absent),
   * fsync'd when {@code sync}, then applies them to {@link #raftStorage()}: {@link #save(Ready)}
   * without a Ready.
   */
  void save(Snapshot snap, List<Entry> entries, HardState hs, boolean sync) {
    checkOpen();
    SnapshotRecord snapRecord = null;
    if (snap != null) {
      long current = storage.snapshot().getMetadata().getIndex();
      if (snap.getMetadata().getIndex() <= current) {
        // Refused before anything is written: replay would apply what MemoryStorage refuses.
        throw new SnapshotOutOfDateException(snap.getMetadata().getIndex(), current);
      }
      saveSnapshotFile(snap);
      SnapshotMetadata m = snap.getMetadata();
      snapRecord = new SnapshotRecord(GROUP, true, m.getIndex(), m.getTerm(), m.getConfState());
    }
    wal.save(GROUP, snapRecord, entries, hs, sync);
    if (snap != null) {
      storage.applySnapshot(snap);
      snapshotData = snap.getData();
    }
    storage.append(entries);
    if (hs != null) {
      storage.setHardState(hs);
    }
    if (snapRecord != null || !entries.isEmpty() || hs != null) {
      empty = false;
    }
  }

  /** Makes everything saved so far durable (after saves that did not sync). */
  void sync() {
    checkOpen();
    wal.sync();
  }

  /**
   * Records a snapshot of the applied state as of {@code index}: the snapshot file (written
   * atomically), a WAL snapshot record (fsync'd), then {@link MemoryStorage#createSnapshot}.
   *
   * @param index the last applied index the snapshot reflects; held by {@link #raftStorage()}
   * @param confState the configuration as of {@code index}, or null to keep the previous one
   * @param data the state machine's snapshot
   * @throws SnapshotOutOfDateException if {@code index} is not newer than the latest snapshot
   * @throws IllegalStateException if {@code index} is beyond the last entry held
   * @throws WalFailedException if a write or fsync fails, now or earlier
   */
  public void createSnapshot(long index, ConfState confState, ByteString data) {
    checkOpen();
    Objects.requireNonNull(data, "data");
    SnapshotMetadata previous = storage.snapshot().getMetadata();
    if (index <= previous.getIndex()) {
      throw new SnapshotOutOfDateException(index, previous.getIndex());
    }
    if (index > storage.lastIndex()) {
      throw new IllegalStateException(
          "snapshot " + index + " is out of bound lastindex(" + storage.lastIndex() + ")");
    }
    ConfState cs = confState != null ? confState : previous.getConfState();
    long term = storage.term(index);
    Snapshot snap =
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(cs))
            .setData(data)
            .build();
    saveSnapshotFile(snap);
    wal.save(GROUP, new SnapshotRecord(GROUP, false, index, term, cs), List.of(), null, true);
    storage.createSnapshot(index, cs, data);
    snapshotData = data;
    empty = false;
  }

  private void saveSnapshotFile(Snapshot snap) {
    try {
      snapshotter.save(snap);
    } catch (IOException e) {
      SnapshotMetadata m = snap.getMetadata();
      throw wal.fail(
          "writing snapshot file " + snapshotter.path(m.getTerm(), m.getIndex()) + " failed", e);
    }
  }

  /**
   * Drops the entries before {@code compactIndex} from {@link #raftStorage()}, deletes the WAL
   * segments that the latest snapshot makes unnecessary, and the snapshot files beyond {@link
   * StorageOptions#snapshotsRetained()}.
   *
   * @param compactIndex the index of the entry that becomes the first one kept (as a marker); at
   *     most the latest snapshot's index. An index already compacted (after a restart the storage
   *     starts at the latest snapshot) only releases segments and snapshot files.
   * @throws WalFailedException if deleting fails, now or earlier
   */
  public void compact(long compactIndex) {
    checkOpen();
    if (compactIndex > storage.firstIndex() - 1) {
      storage.compact(compactIndex);
    }
    wal.release();
    try {
      snapshotter.retain(options.snapshotsRetained());
    } catch (IOException e) {
      throw wal.fail("deleting old snapshot files in " + dir.resolve(SNAP_DIR) + " failed", e);
    }
  }

  /**
   * The data of the latest snapshot, to restore the state machine from at restart.
   *
   * @return the data, empty when there is no snapshot
   */
  public ByteString snapshotData() {
    checkOpen();
    return snapshotData;
  }

  /** How many fsyncs the WAL issued, for tests. */
  long walSyncCount() {
    return wal.syncCount();
  }

  Wal wal() {
    return wal;
  }

  /**
   * Syncs and closes the files and releases the lock. Calling it again does nothing; any other call
   * afterwards throws {@link IllegalStateException}.
   *
   * @throws WalFailedException if the final sync fails
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      wal.close();
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        throw new WalFailedException("releasing the lock of " + dir + " failed: " + e, e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("DurableStorage of " + dir + " is closed");
    }
  }

  @Override
  public String toString() {
    return "DurableStorage{" + dir + ", " + storage + "}";
  }
}

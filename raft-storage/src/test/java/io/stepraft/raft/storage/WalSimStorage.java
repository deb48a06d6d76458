package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.sim.SimStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link DurableStorage} — the real WAL, snapshot files and replay — as the simulator's storage
 * under test, over a {@link MemFileIo} that crashes, tears and flips bits. Segments are small (4 to
 * 16 KiB, by seed) so that runs cut, release and replay many of them.
 */
final class WalSimStorage implements SimStorage {
  private final MemFileIo fs = new MemFileIo();
  private final Path dir;
  private final StorageOptions options;
  private DurableStorage storage;

  WalSimStorage(long seed, long nodeId) {
    this(seed, nodeId, true);
  }

  /** With {@code sync} false, a WAL that never fsyncs: the bug the simulator must catch. */
  WalSimStorage(long seed, long nodeId, boolean sync) {
    this.dir = Path.of("/sim", "node-" + nodeId);
    this.options =
        StorageOptions.builder()
            .segmentSizeBytes(StorageOptions.SEGMENT_SIZE_BYTES_MIN << Math.floorMod(seed, 3))
            .snapshotsRetained(2)
            .syncEnabled(sync)
            .preallocateInBackground(false) // no threads in a simulation
            .build();
  }

  @Override
  public MemoryStorage open() {
    storage = DurableStorage.open(dir, options, fs);
    return storage.raftStorage();
  }

  @Override
  public void write(Snapshot snapshot, List<Entry> entries, HardState hardState) {
    storage.save(snapshot, entries, hardState, false);
  }

  @Override
  public void sync() {
    storage.sync();
  }

  @Override
  public void compact(long index, ConfState confState, ByteString data, long compactIndex) {
    storage.createSnapshot(index, confState, data);
    storage.compact(compactIndex);
  }

  @Override
  public void crash(SplittableRandom rng, boolean torn) {
    fs.crash(rng, torn);
    storage = null; // abandoned, as a dead process's are
  }

  /** Flips a bit in a WAL segment that is not the last one: replay reads it, and must refuse. */
  @Override
  public String corrupt(SplittableRandom rng) {
    List<Path> segments = fs.filesIn(dir.resolve(DurableStorage.WAL_DIR));
    segments.removeIf(p -> SegmentName.parse(p.getFileName().toString()) == null);
    if (segments.size() < 2) {
      return null;
    }
    Path victim = segments.get(rng.nextInt(segments.size() - 1));
    long at = fs.flipBit(victim, rng);
    return at < 0 ? null : "a bit flipped at offset " + at + " of " + victim.getFileName();
  }

  @Override
  public boolean isCorruptionRefusal(RuntimeException e) {
    return e instanceof CorruptWalException;
  }
}

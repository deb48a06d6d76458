package io.stepraft.raft;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import java.util.List;

/**
 * The stable part of the raft log, as the host persisted it. Raft only reads from it; the host
 * writes to it while handling a {@link Ready}.
 *
 * <p>Implementations are called from the thread that drives the {@link RawNode}. A call that fails
 * for a reason other than the documented exceptions makes the node unusable: raft cannot continue
 * without its log, so it lets the exception propagate to the host.
 */
public interface Storage {

  /** The persisted hard state and the configuration as of the last snapshot or applied change. */
  InitialState initialState();

  /**
   * The entries in {@code [lo, hi)}, limited to {@code maxSizeBytes} in total serialized size but
   * never empty when {@code lo < hi}: the first entry is returned even if it alone is larger.
   *
   * @throws CompactedException if {@code lo <= } the snapshot index
   * @throws UnavailableException if the storage holds no entry at all, only a snapshot
   * @throws IllegalStateException if {@code hi > lastIndex() + 1}: raft never asks for entries the
   *     host did not persist, so such a call is a bug
   */
  List<Entry> entries(long lo, long hi, long maxSizeBytes);

  /**
   * The term of the entry at {@code index}, which must lie in {@code [firstIndex() - 1,
   * lastIndex()]}; the term at {@code firstIndex() - 1} is that of the last snapshot.
   *
   * @throws CompactedException if {@code index < firstIndex() - 1}
   * @throws UnavailableException if {@code index > lastIndex()}
   */
  long term(long index);

  /** The index of the last entry held; {@code firstIndex() - 1} when there is none. */
  long lastIndex();

  /**
   * The index of the first entry that may be read with {@link #entries}: one past the last
   * compacted entry. Entries must not be compacted past the latest snapshot: the leader could then
   * neither send them nor a snapshot that covers them.
   */
  long firstIndex();

  /**
   * The most recent snapshot.
   *
   * @throws SnapshotTemporarilyUnavailableException if one is being prepared; raft asks again later
   */
  Snapshot snapshot();

  /** What a node restarts from: its hard state and its configuration. */
  record InitialState(HardState hardState, ConfState confState) {}
}

package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's durable storage as the {@link LocalCluster} drives it: the log raft reads, the write of
 * each {@link Ready}, snapshots and compaction. {@link #inMemory()} provides one backed by {@link
 * io.stepraft.raft.MemoryStorage}; a durable implementation (a write-ahead log) plugs in through
 * {@link Provider}.
 *
 * <p>Every method is called from one thread at a time, and never after {@link #close()}: the node's
 * thread; with {@link LocalCluster.Builder#asyncStorageWrites} the node's storage thread, after the
 * node's thread has read {@link #raftStorage()} once at the start (raft then reads a copy).
 */
public interface NodeStorage {

  /**
   * The log raft reads: it reflects everything {@link #save}, {@link #createSnapshot} and {@link
   * #compact} did. The same object for the life of this instance.
   *
   * @return the storage to give raft
   */
  Storage raftStorage();

  /**
   * Persists what the Ready asks for, in this order: its snapshot (if any), its entries (an entry
   * at an index already held replaces it and every entry after it), its hard state (if any). When
   * this returns, all of it is durable (synced when {@link Ready#mustSync()}) and visible in {@link
   * #raftStorage()}; the node sends the messages that acknowledge it only then.
   *
   * @param ready the Ready being handled
   */
  void save(Ready ready);

  /**
   * Durably records a snapshot of the state machine as of {@code index}, which the node has
   * applied. {@link #raftStorage()} returns it from {@code snapshot()} from now on, for the leader
   * to send to followers that need compacted entries, and for a restart to begin from.
   *
   * @param index the last applied index the snapshot reflects
   * @param confState the configuration as of {@code index}
   * @param data the state machine's snapshot
   */
  void createSnapshot(long index, ConfState confState, ByteString data);

  /**
   * Drops the entries before {@code compactIndex}. The node calls it only at or below the latest
   * snapshot's index.
   *
   * @param compactIndex the index of the entry that becomes the first one kept (as a marker)
   */
  void compact(long compactIndex);

  /** Releases what this instance holds. What was saved stays for the next {@link Provider#open}. */
  default void close() {}

  /**
   * Opens a node's storage: at the node's first start, and again at every restart after a crash.
   * Implementations may be called from any thread.
   */
  @FunctionalInterface
  interface Provider {
    /**
     * Opens the storage of {@code nodeId}: empty for a node never started; otherwise exactly what
     * the node's earlier instances saved (snapshot, entries, hard state), as a process restarted
     * after a crash reads it back. The hard state's commit index is at least the snapshot's index.
     *
     * @param nodeId the node
     * @return its storage, to be used by one node thread until closed
     */
    NodeStorage open(long nodeId);
  }

  /**
   * Storage kept in memory for the life of the provider: a node that crashes and restarts finds
   * everything it saved, and nothing more, as with a disk that syncs every write.
   *
   * @return a new provider with no node's data
   */
  static Provider inMemory() {
    Map<Long, MemoryNodeStorage> kept = new ConcurrentHashMap<>();
    return nodeId -> kept.computeIfAbsent(nodeId, id -> new MemoryNodeStorage());
  }
}

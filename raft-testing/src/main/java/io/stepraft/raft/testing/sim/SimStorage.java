package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A node's durable storage under test: the user's own adapter (a write-ahead log, a database)
 * plugged into the simulator with {@link SimOptions#storage}, over a file layer of its own that can
 * lose unsynced writes, tear the last one and damage synced data.
 *
 * <p>The simulator hands it the same writes it records on its own model of a disk, and checks it at
 * every restart: what {@link #open} reads back must be what the model says a crash can leave, every
 * synced write and, of those since, a prefix in write order. A storage that loses a synced write,
 * invents one, reorders them, fails to open after a plain crash, or opens over damage that {@link
 * #corrupt} injected fails the run with {@link Check#STORAGE}. A clean refusal to open over damage
 * ({@link #isCorruptionRefusal}) is what a correct storage does: the simulated operator then
 * replaces the node by a new member, as a real one would.
 *
 * <p>The simulator calls it from one thread, in this order for each process life of the node:
 * {@link #open}, then writes, syncs and compactions, then {@link #crash} (a crash, or a clean stop
 * after a sync), then {@link #open} again. It must be deterministic given the random sources passed
 * in: no threads, no clocks, no real disk it cannot reset.
 */
public interface SimStorage {
  /** Creates each node's storage for one run. */
  @FunctionalInterface
  interface Factory {
    /**
     * A new, empty storage for node {@code nodeId} of the run of {@code seed}.
     *
     * @param seed the seed of the run
     * @param nodeId the node
     * @return its storage, not yet opened
     */
    SimStorage create(long seed, long nodeId);
  }

  /**
   * Opens the storage as a starting process does (replay, repair of a torn tail) and returns what
   * it holds: snapshot, entries after it and hard state. The simulator copies from the returned
   * storage and never modifies it. An empty storage returns an empty one.
   *
   * @return what the node restarts from
   * @throws RuntimeException if the storage refuses to open; see {@link #isCorruptionRefusal}
   */
  MemoryStorage open();

  /**
   * Appends, in this order, a snapshot, entries and a hard state, without making them durable: a
   * crash before the next {@link #sync} may lose them, or keep a prefix of them.
   *
   * @param snapshot a snapshot received from the leader, or null
   * @param entries consecutive entries (possibly replacing a suffix), or empty
   * @param hardState the hard state, or null
   */
  void write(Snapshot snapshot, List<Entry> entries, HardState hardState);

  /** Makes every write so far durable. */
  void sync();

  /**
   * Records, durably, a snapshot of the applied state at {@code index} and drops the entries before
   * {@code compactIndex}. Every earlier write is synced already.
   *
   * @param index the snapshot's index, held by the storage and newer than its snapshot
   * @param confState the configuration as of {@code index}
   * @param data the state machine's snapshot
   * @param compactIndex at most {@code index}
   */
  void compact(long index, ConfState confState, ByteString data, long compactIndex);

  /**
   * The process dies: what was synced survives; of the writes since, none survives, or (when {@code
   * torn}) a prefix in write order, possibly ending in part of a write. The storage is closed; the
   * next call is {@link #open}.
   *
   * @param rng where the crash's random choices come from
   * @param torn whether the last writes may survive in part
   */
  void crash(SplittableRandom rng, boolean torn);

  /**
   * Damages durable data that the next {@link #open} must read (a flipped bit in a synced record,
   * say), after a {@link #crash}. The default injects nothing.
   *
   * @param rng where the damage's random choices come from
   * @return a description of the damage, or null if there was nothing to damage
   */
  default String corrupt(SplittableRandom rng) {
    return null;
  }

  /**
   * Whether {@code e}, thrown by {@link #open}, is this storage's clean refusal to start over
   * damaged data (for a write-ahead log, its corruption error).
   *
   * @param e what {@link #open} threw
   * @return true for a refusal to start over damage
   */
  default boolean isCorruptionRefusal(RuntimeException e) {
    return false;
  }
}

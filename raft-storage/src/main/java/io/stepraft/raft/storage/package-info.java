/**
 * Durable storage for stepraft. {@link io.stepraft.raft.storage.DurableStorage} persists each
 * {@code Ready} to a write-ahead log and snapshot files, and rebuilds the {@code MemoryStorage}
 * that raft reads when the node restarts.
 *
 * <p>The WAL is a sequence of preallocated segments of framed records (metadata, entry, hard state,
 * crc, snapshot), each with a CRC32C that chains from the previous record. At open, a torn tail
 * left by a crash is cut; any other damage is a {@link
 * io.stepraft.raft.storage.CorruptWalException} naming the file and offset. A failed write or fsync
 * fail-stops the log ({@link io.stepraft.raft.storage.WalFailedException}). See {@code
 * docs/storage.md}.
 */
package io.stepraft.raft.storage;

package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;

/** A decoded WAL record. {@link RecordCodec} turns each one into its payload bytes and back. */
sealed interface WalRecord {

  /** The record's type. */
  RecordType type();

  /** The host's opaque metadata. */
  record Metadata(ByteString data) implements WalRecord {
    @Override
    public RecordType type() {
      return RecordType.METADATA;
    }
  }

  /** A log entry of group {@code groupId}. */
  record EntryRecord(long groupId, Entry entry) implements WalRecord {
    @Override
    public RecordType type() {
      return RecordType.ENTRY;
    }
  }

  /** The hard state of group {@code groupId}. */
  record StateRecord(long groupId, HardState hardState) implements WalRecord {
    @Override
    public RecordType type() {
      return RecordType.STATE;
    }
  }

  /**
   * The first record of every segment: the checksum the chain continues from, and the segment's
   * sequence number and first index (which its file name repeats).
   */
  record CrcRecord(int prevCrc, long seq, long firstIndex) implements WalRecord {
    @Override
    public RecordType type() {
      return RecordType.CRC;
    }
  }

  /**
   * A snapshot of group {@code groupId} at {@code index}, {@code term}. {@code replacesLog} is true
   * for a snapshot received from the leader (it replaces the whole log, as {@code
   * MemoryStorage.applySnapshot} does) and false for one the host took of its own applied state.
   */
  record SnapshotRecord(
      long groupId, boolean replacesLog, long index, long term, ConfState confState)
      implements WalRecord {
    @Override
    public RecordType type() {
      return RecordType.SNAPSHOT;
    }
  }
}

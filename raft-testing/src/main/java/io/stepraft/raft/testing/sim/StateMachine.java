package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import java.nio.ByteBuffer;

/**
 * A node's replicated state machine, reduced to what the checks need: the last applied index, a
 * digest of every entry applied so far, the configuration and the index of the change that produced
 * it. It is durable at apply time (as a database that commits each entry with its applied index),
 * so a crash loses nothing applied. A snapshot's data is this state.
 */
final class StateMachine {
  private long applied;
  private long digest;
  private ConfState conf = ConfState.getDefaultInstance();
  private long confIndex;

  long applied() {
    return applied;
  }

  long digest() {
    return digest;
  }

  ConfState conf() {
    return conf;
  }

  /**
   * Applies the entry at {@code applied + 1}; {@code cs} is the new configuration, or null if
   * unchanged.
   */
  void apply(Entry e, ConfState cs) {
    applied = e.getIndex();
    digest = Digests.chain(digest, applied, Digests.entry(e));
    if (cs != null) {
      conf = cs;
      confIndex = applied;
    }
  }

  /**
   * The state as snapshot data: applied index, digest, and the index of the last configuration
   * change.
   */
  ByteString snapshotData() {
    return ByteString.copyFrom(
        ByteBuffer.allocate(24).putLong(applied).putLong(digest).putLong(confIndex).flip());
  }

  /** Replaces the state with a snapshot's. */
  void restore(Snapshot s) {
    ByteBuffer b = s.getData().asReadOnlyByteBuffer();
    long index = b.getLong();
    if (index != s.getMetadata().getIndex()) {
      throw new IllegalStateException(
          "snapshot data is for index "
              + index
              + " but its metadata says "
              + s.getMetadata().getIndex());
    }
    applied = index;
    digest = b.getLong();
    confIndex = b.getLong();
    conf = s.getMetadata().getConfState();
  }

  /** The digest recorded in a snapshot's data. */
  static long digestOf(Snapshot s) {
    return s.getData().asReadOnlyByteBuffer().getLong(8);
  }

  /** The index of the configuration change recorded in a snapshot's data; 0 for no snapshot. */
  static long confIndexOf(Snapshot s) {
    return s.getMetadata().getIndex() == 0 ? 0 : s.getData().asReadOnlyByteBuffer().getLong(16);
  }
}

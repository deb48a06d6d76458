package io.stepraft.raft.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import java.nio.ByteBuffer;

/**
 * A node's replicated state machine, reduced to what the checks need: the last applied index,
 * a digest of every entry applied so far, and the configuration. It is durable at apply time
 * (as a database that commits each entry with its applied index), so a crash loses nothing
 * applied. A snapshot's data is this state: the index and the digest.
 */
final class StateMachine {
  private long applied;
  private long digest;
  private ConfState conf = ConfState.getDefaultInstance();

  long applied() {
    return applied;
  }

  long digest() {
    return digest;
  }

  ConfState conf() {
    return conf;
  }

  /** Applies the entry at {@code applied + 1}; {@code cs} is the new configuration, or null if unchanged. */
  void apply(Entry e, ConfState cs) {
    applied = e.getIndex();
    digest = Digests.chain(digest, applied, Digests.entry(e));
    if (cs != null) {
      conf = cs;
    }
  }

  /** The state as snapshot data. */
  ByteString snapshotData() {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(applied).putLong(digest).flip());
  }

  /** Replaces the state with a snapshot's. */
  void restore(Snapshot s) {
    ByteBuffer b = s.getData().asReadOnlyByteBuffer();
    long index = b.getLong();
    if (index != s.getMetadata().getIndex()) {
      throw new IllegalStateException("snapshot data is for index " + index + " but its metadata says "
          + s.getMetadata().getIndex());
    }
    applied = index;
    digest = b.getLong();
    conf = s.getMetadata().getConfState();
  }

  /** The digest recorded in a snapshot's data. */
  static long digestOf(Snapshot s) {
    return s.getData().asReadOnlyByteBuffer().getLong(8);
  }
}

package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's replicated state machine: the application's, and around it what the checks need: the
 * last applied index, a digest of every entry applied so far, the configuration and the index of
 * the change that produced it, and the output of every client request applied (each request is
 * applied once, however often it was committed). It is durable at apply time (as a database that
 * commits each entry with its applied index), so a crash loses nothing applied. A snapshot's data
 * is this state.
 */
final class StateMachine {
  /** Bytes of the snapshot data before the outputs: applied index, digest, configuration index. */
  private static final int HEADER_BYTES = 24;

  private final ReplicatedStateMachine app;

  /** The output of each client request applied, by request id. */
  private final Map<Long, ByteString> outputs = new HashMap<>();

  private long applied;
  private long digest;
  private ConfState conf = ConfState.getDefaultInstance();
  private long confIndex;

  StateMachine(ReplicatedStateMachine app) {
    this.app = app;
  }

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
   * unchanged. Returns the output of a client request, or null for raft's own entries and
   * configuration changes.
   */
  ByteString apply(Entry e, ConfState cs) {
    applied = e.getIndex();
    digest = Digests.chain(digest, applied, Digests.entry(e));
    if (cs != null) {
      conf = cs;
      confIndex = applied;
    }
    if (e.getType() != EntryType.EntryNormal || e.getData().isEmpty()) {
      return null;
    }
    long id = Envelope.id(e.getData());
    ByteString output = outputs.get(id);
    if (output == null) {
      try {
        output = app.apply(applied, Envelope.command(e.getData()));
      } catch (RuntimeException ex) {
        throw new ApplicationFailure("apply at index " + applied, ex);
      }
      outputs.put(id, output);
    }
    return output;
  }

  /** Answers a query against the state as applied so far. */
  ByteString read(ByteString query) {
    try {
      return app.read(query);
    } catch (RuntimeException ex) {
      throw new ApplicationFailure("read at index " + applied, ex);
    }
  }

  /**
   * The state as snapshot data: applied index, digest, the index of the last configuration change,
   * the outputs of the requests applied, then the application's snapshot.
   */
  ByteString snapshotData() {
    ByteString appState;
    try {
      appState = app.snapshot();
    } catch (RuntimeException ex) {
      throw new ApplicationFailure("snapshot at index " + applied, ex);
    }
    int size = HEADER_BYTES + Integer.BYTES;
    for (ByteString o : outputs.values()) {
      size += Long.BYTES + Integer.BYTES + o.size();
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putLong(applied).putLong(digest).putLong(confIndex).putInt(outputs.size());
    outputs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> b.putLong(e.getKey()).putInt(e.getValue().size()).put(e.getValue().toByteArray()));
    return ByteString.copyFrom(b.flip()).concat(appState);
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
    outputs.clear();
    int n = b.getInt();
    for (int i = 0; i < n; i++) {
      long id = b.getLong();
      byte[] output = new byte[b.getInt()];
      b.get(output);
      outputs.put(id, ByteString.copyFrom(output));
    }
    ByteString appState = s.getData().substring(b.position());
    try {
      app.restore(appState);
    } catch (RuntimeException ex) {
      throw new ApplicationFailure("restore at index " + index, ex);
    }
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

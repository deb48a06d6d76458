package io.stepraft.raft.testing;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;

/** Snapshots for tests that restore a node or send one by hand. */
public final class Snapshots {
  private Snapshots() {}

  /**
   * A snapshot without application data.
   *
   * @param index the last index it covers
   * @param term the term of the entry at {@code index}
   * @param confState the configuration as of {@code index}
   * @return the snapshot
   */
  public static Snapshot snapshot(long index, long term, ConfState confState) {
    return Snapshot.newBuilder()
        .setMetadata(
            SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(confState))
        .build();
  }

  /**
   * A snapshot whose application data is {@code data} in UTF-8.
   *
   * @param index the last index it covers
   * @param term the term of the entry at {@code index}
   * @param confState the configuration as of {@code index}
   * @param data the application state it stands for
   * @return the snapshot
   */
  public static Snapshot snapshot(long index, long term, ConfState confState, String data) {
    return snapshot(index, term, confState).toBuilder()
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }
}

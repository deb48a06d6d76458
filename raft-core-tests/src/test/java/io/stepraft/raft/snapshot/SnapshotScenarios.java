package io.stepraft.raft.snapshot;

import com.google.protobuf.ByteString;
import io.stepraft.raft.RaftListener;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Helpers for snapshot scenarios. A snapshot's data is the list of applied payloads joined by
 * newlines, so that a node's application state is "the payloads in its last snapshot, then the
 * payloads it applied after it" and can be compared across nodes.
 */
final class SnapshotScenarios {
  private SnapshotScenarios() {}

  /**
   * Three nodes, leader 1, one write ("a0") everywhere; then node 3 is cut off and the leader
   * commits {@code writes} more writes that node 3 misses.
   */
  static StepCluster laggingFollower3(
      UnaryOperator<io.stepraft.raft.Config.Builder> tweak, int writes) {
    StepCluster c = StepCluster.create(3, tweak);
    c.campaign(1);
    c.propose(1, "a0");
    c.isolate(3);
    for (int i = 1; i <= writes; i++) {
      c.propose(1, "a" + i);
    }
    return c;
  }

  /** {@link #laggingFollower3} with default settings. */
  static StepCluster laggingFollower3(int writes) {
    return laggingFollower3(b -> b, writes);
  }

  /**
   * Takes a snapshot of node {@code n}'s application state at its last applied index, then compacts
   * its log so that the first entry kept is {@code compactTo + 1} (if it starts earlier).
   */
  static Snapshot snapshotAndCompact(StepNode n, long compactTo) {
    long index = n.appliedIndex();
    Snapshot s = n.storage().createSnapshot(index, n.confState(), encode(stateUpTo(n, index)));
    if (compactTo >= n.storage().firstIndex()) {
      n.storage().compact(compactTo);
    }
    return s;
  }

  /** Snapshot at the last applied index and compact everything up to it. */
  static Snapshot snapshotAndCompactAll(StepNode n) {
    return snapshotAndCompact(n, n.appliedIndex());
  }

  /** The node's application state: its snapshot's payloads, then what it applied after it. */
  static List<String> state(StepNode n) {
    return stateUpTo(n, Long.MAX_VALUE);
  }

  private static List<String> stateUpTo(StepNode n, long upTo) {
    Snapshot snap = n.storage().snapshot();
    long snapIndex = snap.getMetadata().getIndex();
    List<String> out = new ArrayList<>(decode(snap.getData()));
    for (Entry e : n.applied()) {
      if (e.getIndex() > snapIndex
          && e.getIndex() <= upTo
          && e.getType() == EntryType.EntryNormal
          && !e.getData().isEmpty()) {
        out.add(e.getData().toStringUtf8());
      }
    }
    return out;
  }

  private static ByteString encode(List<String> items) {
    return ByteString.copyFromUtf8(String.join("\n", items));
  }

  private static List<String> decode(ByteString data) {
    if (data.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(data.toStringUtf8().split("\n"));
  }

  /** Records every MsgSnap the nodes send, whether the network delivers it or not. */
  static final class SentSnapshots implements RaftListener {
    final List<Message> sent = new ArrayList<>();

    @Override
    public void messageSent(long nodeId, Message message) {
      if (message.getType() == MessageType.MsgSnap) {
        sent.add(message);
      }
    }

    /** The indexes of the snapshots sent, in order. */
    List<Long> indexes() {
      List<Long> out = new ArrayList<>();
      for (Message m : sent) {
        out.add(m.getSnapshot().getMetadata().getIndex());
      }
      return out;
    }

    Message last() {
      return sent.get(sent.size() - 1);
    }
  }
}

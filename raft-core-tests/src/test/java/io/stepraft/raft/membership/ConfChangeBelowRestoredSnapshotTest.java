package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Found by the simulator (hosts that hold a Ready while they step more input): a follower is handed
 * a committed configuration change in one Ready, and before it applies it steps a snapshot from the
 * leader, newer than the change, whose configuration already holds the change's effect. Applying
 * the change to the node afterwards would apply it twice, onto the snapshot's configuration. {@link
 * RawNode#applyConfChange(Entry)} skips it.
 */
class ConfChangeBelowRestoredSnapshotTest {
  private static final ConfState VOTERS_123 =
      ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L)).build();
  private static final ConfState VOTERS_124 =
      ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 4L)).build();

  /** Swap 3 for 4 through a joint configuration left explicitly. */
  private static final ConfChangeV2 SWAP =
      ConfChangeV2.newBuilder()
          .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
          .addChanges(
              ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(4))
          .addChanges(
              ConfChangeSingle.newBuilder()
                  .setType(ConfChangeType.ConfChangeRemoveNode)
                  .setNodeId(3))
          .build();

  /**
   * Node 2 holds entries 1..2, the second the swap, committed; its Ready hands the swap out. Before
   * the host applies it, the leader's snapshot at index 6 (configuration 1, 2, 4: the swap entered
   * and left) arrives and is restored. Then the host applies the Ready's entries with {@code apply}
   * and the node's configuration is returned.
   */
  private static ConfState applyAfterARestoredSnapshot(
      BiFunction<RawNode, Entry, ConfState> apply) {
    MemoryStorage storage = MemoryStorage.withConfState(VOTERS_123);
    Entry swap =
        Entry.newBuilder()
            .setIndex(2)
            .setTerm(1)
            .setType(EntryType.EntryConfChangeV2)
            .setData(SWAP.toByteString())
            .build();
    storage.append(List.of(Entry.newBuilder().setIndex(1).setTerm(1).build(), swap));
    storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(2).build());
    RawNode node = new RawNode(Config.builder().id(2).storage(storage).build());
    Ready rd = node.ready();
    assertEquals(2, rd.committedEntries().size(), "the swap is handed out");
    Snapshot snap =
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(6).setTerm(1).setConfState(VOTERS_124))
            .setData(ByteString.copyFromUtf8("state@6"))
            .build();
    node.step(
        Message.newBuilder()
            .setType(MessageType.MsgSnap)
            .setFrom(1)
            .setTo(2)
            .setTerm(1)
            .setSnapshot(snap)
            .build());
    ConfState cs = null;
    for (Entry e : rd.committedEntries()) {
      if (e.getType() != EntryType.EntryNormal) {
        cs = apply.apply(node, e);
      }
    }
    node.advance(rd);
    return cs;
  }

  @Test
  void aChangeAtOrBelowARestoredSnapshotIsNotAppliedAgain() {
    ConfState cs = applyAfterARestoredSnapshot(RawNode::applyConfChange);
    assertEquals(List.of(1L, 2L, 4L), cs.getVotersList(), "the snapshot's configuration stands");
    assertEquals(0, cs.getVotersOutgoingCount(), "not joint: " + cs);
  }

  @Test
  void applyingTheDecodedChangeInsteadWouldEnterTheJointConfigurationAgain() {
    ConfState cs =
        applyAfterARestoredSnapshot((n, e) -> n.applyConfChange(ConfChangeEntry.decode(e)));
    assertTrue(cs.getVotersOutgoingCount() > 0, "the hazard the entry form guards against: " + cs);
  }
}

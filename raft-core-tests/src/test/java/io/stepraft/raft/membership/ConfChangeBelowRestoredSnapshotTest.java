package io.stepraft.raft.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.MembershipChanges;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.Storages;
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
  private static final ConfState VOTERS_123 = ConfStates.voters(1, 2, 3);
  private static final ConfState VOTERS_124 = ConfStates.voters(1, 2, 4);

  /** Swap 3 for 4 through a joint configuration left explicitly. */
  private static final ConfChangeV2 SWAP =
      MembershipChanges.explicit(
          MembershipChanges.single(Ccs.ADD, 4), MembershipChanges.single(Ccs.REMOVE, 3));

  /**
   * Node 2 holds entries 1..2, the second the swap, committed; its Ready hands the swap out. Before
   * the host applies it, the leader's snapshot at index 6 (configuration 1, 2, 4: the swap entered
   * and left) arrives and is restored. Then the host applies the Ready's entries with {@code apply}
   * and the node's configuration is returned.
   */
  private static ConfState applyAfterARestoredSnapshot(
      BiFunction<RawNode, Entry, ConfState> apply) {
    MemoryStorage storage = MemoryStorage.withConfState(VOTERS_123);
    storage.append(List.of(Entries.entry(1, 1), Entries.confChange(2, 1, SWAP)));
    storage.setHardState(Storages.hardState(1, 0, 2));
    RawNode node = new RawNode(Config.builder().id(2).storage(storage).build());
    Ready rd = node.ready();
    assertEquals(2, rd.committedEntries().size(), "the swap is handed out");
    Snapshot snap = Snapshots.snapshot(6, 1, VOTERS_124, "state@6");
    node.step(Messages.message(MessageType.MsgSnap, 1, 2, 1).setSnapshot(snap).build());
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

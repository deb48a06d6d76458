package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.MembershipChanges;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A configuration change dropped for the uncommitted-size limit once still became the pending
 * change, so the next valid change was replaced by an empty entry.
 */
class RegressionDroppedConfChangeTest {
  @Test
  void aConfChangeDroppedForTheUncommittedLimitIsNotPending() {
    StepCluster c = StepCluster.create(3, b -> b.maxUncommittedEntriesSizeBytes(10));
    c.campaign(1);
    c.cut(1, 2);
    c.cut(1, 3);
    c.propose(1, "0123456789"); // fills the uncommitted budget: nothing commits while cut
    ConfChange addLearner = MembershipChanges.v1(ConfChangeType.ConfChangeAddLearnerNode, 4);
    ProposalDroppedException e =
        assertThrows(
            ProposalDroppedException.class, () -> c.node(1).raw().proposeConfChange(addLearner));
    assertEquals(ProposalDroppedException.Reason.UNCOMMITTED_LIMIT, e.reason());

    c.recover();
    c.tickAll(); // heartbeat: followers catch up, everything commits and is applied
    c.node(1).raw().proposeConfChange(addLearner);
    c.stabilize();
    List<Entry> applied = c.node(1).applied();
    Entry last = applied.get(applied.size() - 1);
    assertEquals(
        EntryType.EntryConfChange, last.getType(), "the change was replaced by an empty entry");
    assertEquals(List.of(4L), c.node(1).confState().getLearnersList());
  }
}

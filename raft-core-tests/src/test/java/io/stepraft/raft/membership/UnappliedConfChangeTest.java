package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.testing.MembershipChanges.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node must not campaign while a committed configuration change is not applied yet: it would
 * count votes in a configuration that is about to change. Node 1 of (1 2 3) restarts with index 2
 * committed but only index 1 (the snapshot) applied.
 */
class UnappliedConfChangeTest {
  private static StepNode restartedWith(Entry atIndex2) {
    return Ccs.restored(
        1,
        ConfStates.voters(1, 2, 3),
        List.of(atIndex2),
        Storages.hardState(1, 0, 2),
        b -> b.applied(1));
  }

  private static Entry confChangeEntry() {
    return Entries.confChange(2, 1, v1(LEARNER, 4));
  }

  /** campaign() is refused while the committed change at index 2 is unapplied. */
  @Test
  void aNodeWithACommittedUnappliedChangeDoesNotCampaign() {
    StepNode n = restartedWith(confChangeEntry());
    n.raw().campaign();
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Election timeouts do not start an election either. */
  @Test
  void aNodeWithACommittedUnappliedChangeDoesNotCampaignOnTimeout() {
    StepNode n = restartedWith(confChangeEntry());
    for (int i = 0; i < 100; i++) {
      n.raw().tick();
    }
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Nor does a leader's MsgTimeoutNow: a transfer to such a node does not start an election. */
  @Test
  void aNodeWithACommittedUnappliedChangeIgnoresTimeoutNow() {
    StepNode n = restartedWith(confChangeEntry());
    n.step(Messages.message(MessageType.MsgTimeoutNow, 2, 1, 1).build());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Once the change is applied the node campaigns, in the new configuration. */
  @Test
  void afterApplyingTheChangeTheNodeCampaigns() {
    StepNode n = restartedWith(confChangeEntry());
    n.drain(); // applies index 2: learner 4 joins
    assertEquals(List.of(4L), n.raw().status().config().getLearnersList());
    n.raw().campaign();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(List.of(2L, 3L), Ccs.recipients(n.drain(), MessageType.MsgVote));
  }

  /** Only configuration changes hold a campaign back: an unapplied normal entry does not. */
  @Test
  void aCommittedUnappliedNormalEntryDoesNotBlockACampaign() {
    StepNode n = restartedWith(Entries.entry(2, 1));
    n.raw().campaign();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(2, n.term());
  }
}

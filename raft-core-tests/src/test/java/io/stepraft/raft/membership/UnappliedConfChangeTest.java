package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.membership.Ccs.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node must not campaign while a committed configuration change is not applied yet: it would
 * count votes in a configuration that is about to change. Node 1 of (1 2 3) restarts with index 2
 * committed but only index 1 (the snapshot) applied.
 */
class UnappliedConfChangeTest {
  private static SoloNode restartedWith(Entry atIndex2) {
    HardState hs = HardState.newBuilder().setTerm(1).setCommit(2).build();
    return SoloNode.of(
        1, SoloNode.storage(Ccs.voters(1, 2, 3), List.of(atIndex2), hs), b -> b.applied(1));
  }

  private static Entry confChangeEntry() {
    return Entry.newBuilder()
        .setTerm(1)
        .setIndex(2)
        .setType(EntryType.EntryConfChange)
        .setData(v1(LEARNER, 4).toByteString())
        .build();
  }

  /** campaign() is refused while the committed change at index 2 is unapplied. */
  @Test
  void aNodeWithACommittedUnappliedChangeDoesNotCampaign() {
    SoloNode n = restartedWith(confChangeEntry());
    n.raw.campaign();
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Election timeouts do not start an election either. */
  @Test
  void aNodeWithACommittedUnappliedChangeDoesNotCampaignOnTimeout() {
    SoloNode n = restartedWith(confChangeEntry());
    for (int i = 0; i < 100; i++) {
      n.raw.tick();
    }
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Nor does a leader's MsgTimeoutNow: a transfer to such a node does not start an election. */
  @Test
  void aNodeWithACommittedUnappliedChangeIgnoresTimeoutNow() {
    SoloNode n = restartedWith(confChangeEntry());
    n.raw.step(
        Message.newBuilder()
            .setType(MessageType.MsgTimeoutNow)
            .setFrom(2)
            .setTo(1)
            .setTerm(1)
            .build());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
  }

  /** Once the change is applied the node campaigns, in the new configuration. */
  @Test
  void afterApplyingTheChangeTheNodeCampaigns() {
    SoloNode n = restartedWith(confChangeEntry());
    n.cycle(); // applies index 2: learner 4 joins
    assertEquals(List.of(4L), n.raw.status().config().getLearnersList());
    n.raw.campaign();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(List.of(2L, 3L), SoloNode.recipients(n.cycle(), MessageType.MsgVote));
  }

  /** Only configuration changes hold a campaign back: an unapplied normal entry does not. */
  @Test
  void aCommittedUnappliedNormalEntryDoesNotBlockACampaign() {
    SoloNode n = restartedWith(Entry.newBuilder().setTerm(1).setIndex(2).build());
    n.raw.campaign();
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(2, n.term());
  }
}

package io.stepraft.raft.scenario;

import static io.stepraft.raft.scenario.Scenarios.dropReason;
import static io.stepraft.raft.scenario.Scenarios.proposeRaw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.ProposalDroppedException.Reason;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader refuses proposals it cannot take now: while its uncommitted tail is at the size limit,
 * and while it hands leadership over. Nothing is appended when a proposal is refused.
 */
class ProposalDropScenarioTest {
  private static final long LIMIT_BYTES = 10;

  /** A leader with a 10-byte uncommitted budget whose followers never acknowledge. */
  private static StepCluster limitedClusterWithoutAcks() {
    StepCluster c = StepCluster.create(3, b -> b.maxUncommittedEntriesSizeBytes(LIMIT_BYTES));
    c.campaign(1);
    c.ignore(MessageType.MsgAppResp);
    return c;
  }

  /**
   * Payload bytes past the limit are refused with UNCOMMITTED_LIMIT while nothing commits; a
   * proposal that brings the tail exactly to the limit still fits.
   */
  @Test
  void proposalsBeyondTheUncommittedLimitAreDroppedWhileFollowersDoNotAck() {
    StepCluster c = limitedClusterWithoutAcks();
    c.propose(1, "aaaa");
    c.propose(1, "bbbb");
    long last = c.node(1).storage().lastIndex();
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 1, "cccc"));
    c.stabilize();
    assertEquals(last, c.node(1).storage().lastIndex(), "a refused proposal must not be appended");
    c.propose(1, "dd"); // 4 + 4 + 2 = 10: at the limit, not beyond
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 1, "e"));
    assertTrue(c.node(1).appliedData().isEmpty(), "nothing may commit without acknowledgements");
  }

  /** Once the uncommitted entries commit and apply, the budget is free again. */
  @Test
  void proposalsAreAcceptedAgainOnceTheUncommittedEntriesCommit() {
    StepCluster c = limitedClusterWithoutAcks();
    c.propose(1, "aaaa");
    c.propose(1, "bbbbbb");
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 1, "cccc"));

    c.recover();
    c.tickAll(2);
    assertEquals(List.of("aaaa", "bbbbbb"), c.node(1).appliedData());
    c.propose(1, "cccc");
    c.propose(1, "dddddd");
    for (StepNode n : c.nodes().values()) {
      assertEquals(List.of("aaaa", "bbbbbb", "cccc", "dddddd"), n.appliedData(), "node " + n.id());
    }
  }

  /** An empty proposal carries no payload and is never refused, even at the limit. */
  @Test
  void emptyProposalsAreNeverRefusedByTheUncommittedLimit() {
    StepCluster c = limitedClusterWithoutAcks();
    c.propose(1, "aaaaaaaaaa");
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 1, "b"));
    long last = c.node(1).storage().lastIndex();
    for (int i = 0; i < 5; i++) {
      c.node(1).raw().propose(new byte[0]);
    }
    c.stabilize();
    assertEquals(last + 5, c.node(1).storage().lastIndex());
  }

  /** A single proposal larger than the limit is taken when nothing else is uncommitted. */
  @Test
  void aProposalLargerThanTheLimitFitsIntoAnEmptyUncommittedTail() {
    StepCluster c = StepCluster.create(3, b -> b.maxUncommittedEntriesSizeBytes(LIMIT_BYTES));
    c.campaign(1);
    c.propose(1, "a-proposal-of-more-than-ten-bytes");
    assertEquals(List.of("a-proposal-of-more-than-ten-bytes"), c.node(3).appliedData());
  }

  /** The budget belongs to a term: a new leader starts with an empty uncommitted tail. */
  @Test
  void aNewLeaderStartsWithAFreshUncommittedBudget() {
    StepCluster c = limitedClusterWithoutAcks();
    c.propose(1, "aaaaaaaaaa");
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 1, "b"));
    c.recover();
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    c.ignore(MessageType.MsgAppResp);
    c.propose(2, "cccccccccc");
    assertEquals(Reason.UNCOMMITTED_LIMIT, dropReason(c, 2, "d"));
  }

  /**
   * While a leadership transfer is pending (the transferee is cut off, so it never completes) the
   * leader refuses proposals with TRANSFER_IN_PROGRESS, its own and forwarded ones alike.
   */
  @Test
  void proposalsAreDroppedWhileALeadershipTransferIsPending() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.cut(1, 3);
    c.node(1).raw().transferLeader(3);
    c.stabilize();
    assertEquals(3, c.node(1).raw().basicStatus().leadTransferee());
    assertEquals(Role.LEADER, c.node(1).role());

    long last = c.node(1).storage().lastIndex();
    assertEquals(Reason.TRANSFER_IN_PROGRESS, dropReason(c, 1, "x"));
    proposeRaw(c, 2, "forwarded"); // the follower forwards; the leader drops it
    c.stabilize();
    assertEquals(last, c.node(1).storage().lastIndex());
  }

  /** A transfer that does not finish within an election timeout is abandoned; proposals resume. */
  @Test
  void proposalsAreAcceptedAgainAfterAnAbandonedTransfer() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.cut(1, 3);
    c.node(1).raw().transferLeader(3);
    c.stabilize();
    c.tick(1, 10);
    assertEquals(0, c.node(1).raw().basicStatus().leadTransferee());
    assertEquals(Role.LEADER, c.node(1).role());
    c.propose(1, "after");
    assertEquals(List.of("after"), c.node(2).appliedData());
    c.recover();
    c.tickAll(2);
    assertEquals(List.of("after"), c.node(3).appliedData());
  }
}

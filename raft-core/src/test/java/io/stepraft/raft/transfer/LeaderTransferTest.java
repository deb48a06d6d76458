package io.stepraft.raft.transfer;

import static io.stepraft.raft.transfer.Msgs.deliver;
import static io.stepraft.raft.transfer.Msgs.transferee;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Cluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leadership transfer (Raft thesis §3.10): the leader brings the transferee's log up to date,
 * then sends it MsgTimeoutNow; the transferee campaigns at once in the next term.
 */
class LeaderTransferTest {
  private static Cluster leader1(boolean preVoteAndCheckQuorum) {
    Cluster c = Cluster.create(3, b -> b.preVote(preVoteAndCheckQuorum).checkQuorum(preVoteAndCheckQuorum));
    c.campaign(1);
    c.propose(1, "a");
    return c;
  }

  /** A transferee whose log matches the leader's gets MsgTimeoutNow immediately, and no append. */
  @Test
  void anUpToDateTransfereeGetsTimeoutNowImmediately() {
    Cluster c = leader1(false);
    c.node(1).raw().transferLeader(2);
    List<Message> out = c.collect(1);
    assertEquals(1, Msgs.of(out, MessageType.MsgTimeoutNow, 2).size(), out.toString());
    assertEquals(List.of(), Msgs.of(out, MessageType.MsgApp, 2));
    assertEquals(2, transferee(c, 1));
  }

  /** The transferee becomes leader in the next term; the old leader follows it. */
  @Test
  void theTransfereeBecomesLeaderInTheNextTermAndTheOldLeaderFollowsIt() {
    Cluster c = leader1(false);
    long term = c.node(1).term();
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(term + 1, c.node(2).term());
    assertEquals(Role.FOLLOWER, c.node(1).role());
    assertEquals(2, c.node(1).lead());
    assertEquals(term + 1, c.node(1).term());
    assertEquals(0, transferee(c, 1), "a finished transfer leaves no trace");
    c.propose(1, "b"); // forwarded to the new leader
    assertEquals(List.of("a", "b"), c.node(3).appliedData());
  }

  /**
   * With PreVote and CheckQuorum the transferee campaigns without a pre-vote, and its MsgVote
   * (context CampaignTransfer) overrides the voters' leader lease.
   */
  @Test
  void aTransferBypassesPreVoteAndTheLeaderLease() {
    Cluster c = leader1(true);
    long term = c.node(1).term();
    c.recordDelivered(true);
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(term + 1, c.node(2).term());
    assertEquals(0, Msgs.count(c.delivered(), MessageType.MsgPreVote));
    for (Message m : c.delivered()) {
      if (m.getType() == MessageType.MsgVote) {
        assertEquals("CampaignTransfer", m.getContext().toStringUtf8());
      }
    }
  }

  /** The control for the bypass: under the same lease a plain campaign by 2 gets nowhere. */
  @Test
  void withoutATransferACampaignUnderTheLeaseFails() {
    Cluster c = leader1(true);
    long term = c.node(1).term();
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(1).role());
    assertFalse(c.node(2).role() == Role.LEADER);
    assertEquals(term, c.node(3).term(), "3 ignored the pre-vote inside the lease");
  }

  /**
   * A lagging transferee is caught up first: the leader sends MsgApp, and only after the
   * transferee's MsgAppResp shows it holds the last index does MsgTimeoutNow follow.
   */
  @Test
  void aLaggingTransfereeIsCaughtUpBeforeTimeoutNow() {
    Cluster c = leader1(false);
    c.isolate(3);
    c.propose(1, "b");
    c.propose(1, "c");
    c.recover();
    long last = c.node(1).storage().lastIndex();
    c.node(1).raw().transferLeader(3);
    List<Message> out = c.collect(1);
    assertEquals(List.of(), Msgs.of(out, MessageType.MsgTimeoutNow, 3), "not before 3 caught up");
    assertFalse(Msgs.of(out, MessageType.MsgApp, 3).isEmpty());
    c.recordDelivered(true);
    deliver(c, out);
    List<Message> seen = c.delivered();
    int timeoutNow = Msgs.firstIndexOf(seen, MessageType.MsgTimeoutNow);
    assertTrue(timeoutNow > 0, seen.toString());
    boolean caughtUpFirst = seen.subList(0, timeoutNow).stream().anyMatch(m ->
        m.getType() == MessageType.MsgAppResp && m.getFrom() == 3 && !m.getReject() && m.getIndex() == last);
    assertTrue(caughtUpFirst, seen.toString());
    assertEquals(Role.LEADER, c.node(3).role());
    assertEquals(List.of("a", "b", "c"), c.node(3).appliedData());
  }

  /** A transfer requested on a follower is forwarded to the leader, which carries it out. */
  @Test
  void aTransferRequestedOnAFollowerIsForwardedToTheLeader() {
    Cluster c = leader1(false);
    c.node(2).raw().transferLeader(3);
    List<Message> out = c.collect(2);
    List<Message> fwd = Msgs.of(out, MessageType.MsgTransferLeader, 1);
    assertEquals(1, fwd.size(), out.toString());
    assertEquals(3, fwd.get(0).getFrom(), "the request names the transferee as its sender");
    deliver(c, out);
    assertEquals(Role.LEADER, c.node(3).role());
    assertEquals(3, c.node(2).lead());
  }

  /** A follower that knows no leader drops a transfer request silently. */
  @Test
  void aTransferRequestOnAFollowerWithoutLeaderIsDropped() {
    Cluster c = Cluster.create(3);
    c.node(2).raw().transferLeader(3);
    assertEquals(List.of(), c.collect(2));
    c.stabilize();
    assertEquals(0, c.leader());
  }

  /** The new leader can transfer leadership back: transfers are not one-shot. */
  @Test
  void leadershipCanBeTransferredBackAndForth() {
    Cluster c = leader1(true);
    long term = c.node(1).term();
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    c.node(2).raw().transferLeader(1);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(term + 2, c.node(1).term());
    c.propose(2, "b");
    assertEquals(List.of("a", "b"), c.node(3).appliedData());
  }
}

package io.stepraft.raft.transfer;

import static io.stepraft.raft.transfer.Transfers.transferee;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leadership transfer (Raft thesis §3.10): the leader brings the transferee's log up to date, then
 * sends it MsgTimeoutNow; the transferee campaigns at once in the next term.
 */
class LeaderTransferTest {
  private static StepCluster leader1(boolean preVoteAndCheckQuorum) {
    StepCluster c =
        StepCluster.create(
            3, b -> b.preVote(preVoteAndCheckQuorum).checkQuorum(preVoteAndCheckQuorum));
    c.campaign(1);
    c.propose(1, "a");
    return c;
  }

  /** A transferee whose log matches the leader's gets MsgTimeoutNow immediately, and no append. */
  @Test
  void anUpToDateTransfereeGetsTimeoutNowImmediately() {
    StepCluster c = leader1(false);
    c.node(1).raw().transferLeader(2);
    List<Message> out = c.collect(1);
    assertEquals(1, Messages.ofType(out, MessageType.MsgTimeoutNow, 2).size(), out.toString());
    assertEquals(List.of(), Messages.ofType(out, MessageType.MsgApp, 2));
    assertEquals(2, transferee(c, 1));
  }

  /** The transferee becomes leader in the next term; the old leader follows it. */
  @Test
  void theTransfereeBecomesLeaderInTheNextTermAndTheOldLeaderFollowsIt() {
    StepCluster c = leader1(false);
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
    StepCluster c = leader1(true);
    long term = c.node(1).term();
    c.recordDelivered(true);
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(term + 1, c.node(2).term());
    assertEquals(0, Messages.ofType(c.delivered(), MessageType.MsgPreVote).size());
    for (Message m : c.delivered()) {
      if (m.getType() == MessageType.MsgVote) {
        assertEquals("CampaignTransfer", m.getContext().toStringUtf8());
      }
    }
  }

  /** The control for the bypass: under the same lease a plain campaign by 2 gets nowhere. */
  @Test
  void withoutATransferACampaignUnderTheLeaseFails() {
    StepCluster c = leader1(true);
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
    StepCluster c = leader1(false);
    c.isolate(3);
    c.propose(1, "b");
    c.propose(1, "c");
    c.recover();
    long last = c.node(1).storage().lastIndex();
    c.node(1).raw().transferLeader(3);
    List<Message> out = c.collect(1);
    assertEquals(
        List.of(), Messages.ofType(out, MessageType.MsgTimeoutNow, 3), "not before 3 caught up");
    assertFalse(Messages.ofType(out, MessageType.MsgApp, 3).isEmpty());
    c.recordDelivered(true);
    c.send(out.toArray(new Message[0]));
    List<Message> seen = c.delivered();
    int timeoutNow = Messages.indexOfFirst(seen, MessageType.MsgTimeoutNow);
    assertTrue(timeoutNow > 0, seen.toString());
    boolean caughtUpFirst =
        seen.subList(0, timeoutNow).stream()
            .anyMatch(
                m ->
                    m.getType() == MessageType.MsgAppResp
                        && m.getFrom() == 3
                        && !m.getReject()
                        && m.getIndex() == last);
    assertTrue(caughtUpFirst, seen.toString());
    assertEquals(Role.LEADER, c.node(3).role());
    assertEquals(List.of("a", "b", "c"), c.node(3).appliedData());
  }

  /**
   * Five nodes, leader 1 with "a" everywhere; then the leader's messages to 2 are held back (in
   * {@code to2}), "b" and "c" commit through 3, 4 and 5, and "d" and "e" reach no one: they are the
   * leader's uncommitted tail, {@code committed + 1 .. last}.
   */
  private record TailOnTheLeader(StepCluster c, List<Message> to2, long committed, long last) {
    static TailOnTheLeader create() {
      StepCluster c = StepCluster.create(5);
      c.campaign(1);
      c.propose(1, "a");
      List<Message> to2 = c.hold(m -> m.getFrom() == 1 && m.getTo() == 2);
      c.propose(1, "b");
      c.propose(1, "c");
      long committed = c.node(1).commit();
      for (long id = 3; id <= 5; id++) {
        c.cutOneWay(1, id);
      }
      c.propose(1, "d");
      c.propose(1, "e");
      long last = c.node(1).storage().lastIndex();
      assertEquals(committed + 2, last, "setup: d and e are the leader's uncommitted tail");
      assertEquals(committed, c.node(1).commit());
      assertTrue(match(c, 2) < committed, "setup: 2 lacks committed entries too");
      return new TailOnTheLeader(c, to2, committed, last);
    }

    long timeoutNows() {
      return Messages.ofType(to2, MessageType.MsgTimeoutNow).size();
    }

    /**
     * Node 2 gets the rest of the log: MsgTimeoutNow comes exactly with the last index; 2 wins with
     * the tail.
     */
    void assertTimeoutNowExactlyAtTheLastIndexAndTheTailSurvives() {
      deliverAppendsToNode2Until(c, to2, last - 1);
      assertEquals(0, timeoutNows(), "2 lacks e");
      assertEquals(2, transferee(c, 1));
      assertEquals(Role.LEADER, c.node(1).role());
      deliverAppendsToNode2Until(c, to2, last);
      assertEquals(1, timeoutNows(), "sent as 2's match reached the last index");
      c.stepHeld(to2, MessageType.MsgTimeoutNow);
      assertEquals(Role.LEADER, c.node(2).role());
      assertEquals(
          List.of("a", "b", "c", "d", "e"),
          c.node(2).appliedData(),
          "the tail survived the transfer");
    }
  }

  /**
   * Thesis §3.10: the leader sends MsgTimeoutNow once the transferee's log matches its own, not
   * merely once it holds every committed entry: a transferee elected without the leader's
   * uncommitted tail would drop it. Caught up to the commit index, 2 also hears a heartbeat and
   * still gets no MsgTimeoutNow; it gets one exactly when its match reaches the last index.
   */
  @Test
  void timeoutNowWaitsForTheLeadersLastIndexNotJustTheCommittedEntries() {
    TailOnTheLeader t = TailOnTheLeader.create();
    StepCluster c = t.c();
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(0, t.timeoutNows(), "2 lacks b..e");
    deliverAppendsToNode2Until(c, t.to2(), t.committed());
    assertEquals(0, t.timeoutNows(), "2 holds every committed entry, not d and e");
    c.tick(1, 1);
    c.stepHeld(t.to2(), MessageType.MsgHeartbeat);
    assertEquals(0, t.timeoutNows(), "a heartbeat response at the commit index");
    t.assertTimeoutNowExactlyAtTheLastIndexAndTheTailSurvives();
  }

  /**
   * The same rule when the transfer is requested: a transferee that holds every committed entry but
   * not the leader's tail is caught up first instead of getting MsgTimeoutNow at once.
   */
  @Test
  void aTransfereeHoldingOnlyTheCommittedEntriesIsNotSentTimeoutNowOnRequest() {
    TailOnTheLeader t = TailOnTheLeader.create();
    StepCluster c = t.c();
    deliverAppendsToNode2Until(c, t.to2(), t.committed());
    c.node(1).raw().transferLeader(2);
    c.stabilize();
    assertEquals(2, transferee(c, 1));
    assertEquals(0, t.timeoutNows(), "2 holds every committed entry, not d and e");
    t.assertTimeoutNowExactlyAtTheLastIndexAndTheTailSurvives();
  }

  private static long match(StepCluster c, long id) {
    return c.node(1).progress(id).match();
  }

  /**
   * Steps the held appends into node 2, oldest first, until the leader records its match at {@code
   * index}; no MsgTimeoutNow may be sent before it reaches the leader's last index.
   */
  private static void deliverAppendsToNode2Until(StepCluster c, List<Message> held, long index) {
    long last = c.node(1).storage().lastIndex();
    while (match(c, 2) < index) {
      c.stepHeld(held, MessageType.MsgApp);
      if (match(c, 2) < last) {
        assertEquals(
            0,
            Messages.ofType(held, MessageType.MsgTimeoutNow).size(),
            "at match " + match(c, 2) + " of " + last);
      }
    }
    assertEquals(index, match(c, 2));
  }

  /** A transfer requested on a follower is forwarded to the leader, which carries it out. */
  @Test
  void aTransferRequestedOnAFollowerIsForwardedToTheLeader() {
    StepCluster c = leader1(false);
    c.node(2).raw().transferLeader(3);
    List<Message> out = c.collect(2);
    List<Message> fwd = Messages.ofType(out, MessageType.MsgTransferLeader, 1);
    assertEquals(1, fwd.size(), out.toString());
    assertEquals(3, fwd.get(0).getFrom(), "the request names the transferee as its sender");
    c.send(out.toArray(new Message[0]));
    assertEquals(Role.LEADER, c.node(3).role());
    assertEquals(3, c.node(2).lead());
  }

  /** A follower that knows no leader drops a transfer request silently. */
  @Test
  void aTransferRequestOnAFollowerWithoutLeaderIsDropped() {
    StepCluster c = StepCluster.create(3);
    c.node(2).raw().transferLeader(3);
    assertEquals(List.of(), c.collect(2));
    c.stabilize();
    assertEquals(0, c.leader());
  }

  /** The new leader can transfer leadership back: transfers are not one-shot. */
  @Test
  void leadershipCanBeTransferredBackAndForth() {
    StepCluster c = leader1(true);
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

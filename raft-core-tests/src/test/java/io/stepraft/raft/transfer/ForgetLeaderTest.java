package io.stepraft.raft.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stepraft.raft.ReadOnlyOption;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * forgetLeader: a follower drops its leader so that, under CheckQuorum, it grants a vote without
 * waiting for the lease to expire. It is ignored with lease-based reads, which rely on the lease.
 */
class ForgetLeaderTest {
  private static StepCluster leader1(ReadOnlyOption reads) {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true).readOnlyOption(reads));
    c.campaign(1);
    return c;
  }

  /**
   * Steps a MsgVote from 2 for the next term, with an up-to-date log, into 3; returns 3's answers.
   */
  private static List<Message> askVoteOf3(StepCluster c) {
    long term = c.node(3).term();
    long last = c.node(3).storage().lastIndex();
    long lastTerm = c.node(3).storage().term(last);
    c.node(3)
        .raw()
        .step(
            Messages.message(MessageType.MsgVote, 2, 3, term + 1)
                .setIndex(last)
                .setLogTerm(lastTerm)
                .build());
    return Messages.ofType(c.collect(3), MessageType.MsgVoteResp, 2);
  }

  /** After forgetLeader a follower inside the lease grants a vote at once. */
  @Test
  void forgetLeaderLetsAFollowerGrantAVoteImmediately() {
    StepCluster c = leader1(ReadOnlyOption.SAFE);
    c.node(3).raw().forgetLeader();
    assertEquals(0, c.node(3).lead());
    List<Message> resp = askVoteOf3(c);
    assertEquals(1, resp.size());
    assertFalse(resp.get(0).getReject());
  }

  /** The control: inside the lease, without forgetLeader, the vote request is ignored. */
  @Test
  void aFollowerInsideTheLeaseIgnoresAVoteRequest() {
    StepCluster c = leader1(ReadOnlyOption.SAFE);
    long term = c.node(3).term();
    assertEquals(List.of(), askVoteOf3(c));
    assertEquals(term, c.node(3).term(), "the term did not move either");
  }

  /**
   * With lease-based reads forgetLeader is ignored: the follower keeps its leader and its lease.
   */
  @Test
  void forgetLeaderIsIgnoredWithLeaseBasedReads() {
    StepCluster c = leader1(ReadOnlyOption.LEASE_BASED);
    c.node(3).raw().forgetLeader();
    assertEquals(1, c.node(3).lead());
    assertEquals(List.of(), askVoteOf3(c));
  }

  /** Once one follower forgot the leader, another node's campaign can win with its vote. */
  @Test
  void afterForgetLeaderAnotherNodeCanWinAnElection() {
    StepCluster c = leader1(ReadOnlyOption.SAFE);
    long term = c.node(1).term();
    c.node(3).raw().forgetLeader();
    c.campaign(2);
    assertEquals(Role.LEADER, c.node(2).role());
    assertEquals(term + 1, c.node(2).term());
    assertEquals(2, c.node(1).lead(), "the old leader learns of the new one from its appends");
  }

  /** A forgotten leader is learned again from its next heartbeat. */
  @Test
  void aForgottenLeaderIsRelearnedFromItsNextHeartbeat() {
    StepCluster c = leader1(ReadOnlyOption.SAFE);
    c.node(3).raw().forgetLeader();
    c.tick(1, 1);
    assertEquals(1, c.node(3).lead());
  }

  /** forgetLeader on the leader does nothing. */
  @Test
  void forgetLeaderOnTheLeaderIsIgnored() {
    StepCluster c = leader1(ReadOnlyOption.SAFE);
    c.node(1).raw().forgetLeader();
    c.stabilize();
    assertEquals(Role.LEADER, c.node(1).role());
    assertEquals(1, c.node(1).lead());
  }
}

package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the simulator (seed 927 before the fix): without CheckQuorum and PreVote, a follower
 * whose term had risen above the leader's (it campaigned while cut off) ignored the leader's
 * lower-term appends without an answer, counting on its own MsgVote to carry its term to the
 * leader. But its configuration was stale and did not list the leader as a voter, so its votes
 * never went there: the leader kept its term, the follower kept ignoring it, and the follower never
 * caught up. A node now answers a lower-term MsgApp or MsgHeartbeat from a node that is not one of
 * its voters with its term, as the paper's AppendEntries reply does, so the leader steps down and
 * the next election brings everyone to one term.
 */
class RegressionFollowerStuckAboveLeaderTermTest {
  private static final long SNAPSHOT_INDEX = 10;

  @Test
  void aFollowerWhoseConfigurationLacksTheLeaderAnswersItsLowerTermHeartbeatWithItsTerm() {
    StepNode follower = node(5, 7, ConfStates.withLearners(ConfStates.voters(4, 5, 6), 3));
    follower.step(heartbeat(3, 5, 6));
    List<Message> out = follower.drain();
    assertEquals(1, out.size(), out.toString());
    assertEquals(MessageType.MsgAppResp, out.get(0).getType());
    assertEquals(3, out.get(0).getTo());
    assertEquals(7, out.get(0).getTerm());
  }

  /**
   * Found by the simulator (seed 185 of the batching hosts): a node whose term rose above the
   * leader's while it was a voter, and whose configuration now makes it a learner (it applied its
   * demotion, the cluster since promoted it again), never campaigns, so no MsgVote of its would
   * ever tell the leader its term. It answers the lower-term heartbeat with its term too.
   */
  @Test
  void aLearnerInItsOwnConfigurationAnswersALowerTermHeartbeatFromOneOfItsVotersWithItsTerm() {
    StepNode follower = node(5, 7, ConfStates.withLearners(ConfStates.voters(2, 3, 4), 5));
    follower.step(heartbeat(2, 5, 6));
    List<Message> out = follower.drain();
    assertEquals(1, out.size(), out.toString());
    assertEquals(MessageType.MsgAppResp, out.get(0).getType());
    assertEquals(2, out.get(0).getTo());
    assertEquals(7, out.get(0).getTerm());
  }

  @Test
  void aFollowerStillIgnoresALowerTermAppendFromOneOfItsVoters() {
    StepNode follower = node(5, 7, ConfStates.voters(4, 5, 6));
    follower.step(heartbeat(4, 5, 6));
    follower.step(
        Messages.message(MessageType.MsgApp, 4, 5, 6)
            .setIndex(SNAPSHOT_INDEX)
            .setLogTerm(2)
            .build());
    assertTrue(
        follower.drain().isEmpty(), "its own campaigns reach a voter; etcd's behaviour is kept");
  }

  @Test
  void theLowerTermLeaderStepsDownWhenTheStaleFollowerAnswers() {
    StepNode leader = node(3, 5, ConfStates.voters(1, 2, 3, 5));
    leader.raw().campaign();
    leader.drain();
    for (long voter : List.of(1L, 2L)) {
      leader.step(Messages.message(MessageType.MsgVoteResp, voter, 3, 6).build());
    }
    leader.drain();
    assertEquals(Role.LEADER, leader.role());
    StepNode follower = node(5, 7, ConfStates.withLearners(ConfStates.voters(4, 5, 6), 3));

    follower.step(heartbeat(3, 5, 6));
    for (Message m : follower.drain()) {
      leader.step(m);
    }

    assertEquals(Role.FOLLOWER, leader.role());
    assertEquals(7, leader.term());
  }

  private static Message heartbeat(long from, long to, long term) {
    return Messages.message(MessageType.MsgHeartbeat, from, to, term).build();
  }

  /**
   * A node restarted from a snapshot at index 10 with configuration {@code cs}, at {@code term}.
   */
  private static StepNode node(long id, long term, ConfState cs) {
    MemoryStorage storage =
        Storages.withEntries(
            Snapshots.snapshot(SNAPSHOT_INDEX, 2, cs),
            List.of(),
            Storages.hardState(term, 0, SNAPSHOT_INDEX));
    return StepNode.of(
        Config.builder().id(id).storage(storage).electionTicks(10).heartbeatTicks(1).build());
  }
}

package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
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
    RawNode follower =
        node(5, 7, ConfState.newBuilder().addAllVoters(List.of(4L, 5L, 6L)).addLearners(3).build());
    follower.step(heartbeat(3, 5, 6));
    List<Message> out = drain(follower);
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
    RawNode follower =
        node(5, 7, ConfState.newBuilder().addAllVoters(List.of(2L, 3L, 4L)).addLearners(5).build());
    follower.step(heartbeat(2, 5, 6));
    List<Message> out = drain(follower);
    assertEquals(1, out.size(), out.toString());
    assertEquals(MessageType.MsgAppResp, out.get(0).getType());
    assertEquals(2, out.get(0).getTo());
    assertEquals(7, out.get(0).getTerm());
  }

  @Test
  void aFollowerStillIgnoresALowerTermAppendFromOneOfItsVoters() {
    RawNode follower = node(5, 7, ConfState.newBuilder().addAllVoters(List.of(4L, 5L, 6L)).build());
    follower.step(heartbeat(4, 5, 6));
    follower.step(
        Message.newBuilder()
            .setType(MessageType.MsgApp)
            .setFrom(4)
            .setTo(5)
            .setTerm(6)
            .setIndex(SNAPSHOT_INDEX)
            .setLogTerm(2)
            .build());
    assertTrue(
        drain(follower).isEmpty(), "its own campaigns reach a voter; etcd's behaviour is kept");
  }

  @Test
  void theLowerTermLeaderStepsDownWhenTheStaleFollowerAnswers() {
    RawNode leader =
        node(3, 5, ConfState.newBuilder().addAllVoters(List.of(1L, 2L, 3L, 5L)).build());
    leader.campaign();
    drain(leader);
    for (long voter : List.of(1L, 2L)) {
      leader.step(
          Message.newBuilder()
              .setType(MessageType.MsgVoteResp)
              .setFrom(voter)
              .setTo(3)
              .setTerm(6)
              .build());
    }
    drain(leader);
    assertEquals(Role.LEADER, leader.basicStatus().softState().role());
    RawNode follower =
        node(5, 7, ConfState.newBuilder().addAllVoters(List.of(4L, 5L, 6L)).addLearners(3).build());

    follower.step(heartbeat(3, 5, 6));
    for (Message m : drain(follower)) {
      leader.step(m);
    }

    assertEquals(Role.FOLLOWER, leader.basicStatus().softState().role());
    assertEquals(7, leader.basicStatus().hardState().getTerm());
  }

  private static Message heartbeat(long from, long to, long term) {
    return Message.newBuilder()
        .setType(MessageType.MsgHeartbeat)
        .setFrom(from)
        .setTo(to)
        .setTerm(term)
        .build();
  }

  /**
   * A node restarted from a snapshot at index 10 with configuration {@code cs}, at {@code term}.
   */
  private static RawNode node(long id, long term, ConfState cs) {
    MemoryStorage storage = new MemoryStorage();
    storage.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(SNAPSHOT_INDEX).setTerm(2).setConfState(cs))
            .build());
    storage.setHardState(HardState.newBuilder().setTerm(term).setCommit(SNAPSHOT_INDEX).build());
    return new RawNode(
        Config.builder().id(id).storage(storage).electionTicks(10).heartbeatTicks(1).build());
  }

  /** Handles every Ready (nothing to persist here but the hard state) and returns the messages. */
  private static List<Message> drain(RawNode n) {
    List<Message> out = new java.util.ArrayList<>();
    while (n.hasReady()) {
      Ready rd = n.ready();
      out.addAll(rd.messages());
      n.advance(rd);
    }
    return out;
  }
}

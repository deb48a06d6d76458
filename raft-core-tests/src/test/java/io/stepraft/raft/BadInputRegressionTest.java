package io.stepraft.raft;

import static io.stepraft.raft.BadInputTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.BadInputTest.Fixture;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.StepNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Regression tests for bad input that once got past {@link MessageValidator} and did harm. */
class BadInputRegressionTest {
  /**
   * A follower holds a new entry that is not durable yet; a network message claiming to be the
   * append thread's acknowledgement would mark it stable, so the host would never be asked to write
   * it.
   */
  @Test
  void storageAppendResponseSpoofedFromTheNetworkIsRefused() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    f.cluster.node(1).raw().propose("x".getBytes(StandardCharsets.UTF_8));
    List<Message> out = f.cluster.collect(1);
    for (Message m : out) {
      if (m.getTo() == f.target && m.getType() == MessageType.MsgApp) {
        f.node().raw().step(m);
      }
    }
    Raft r = f.raft();
    assertTrue(r.raftLog.hasNextUnstableEnts(), "the new entry is not durable yet");
    Message spoof =
        Message.newBuilder()
            .setType(MessageType.MsgStorageAppendResp)
            .setTo(f.target)
            .setFrom(Raft.LOCAL_APPEND_THREAD)
            .setTerm(r.term)
            .setIndex(r.raftLog.lastIndex())
            .setLogTerm(r.raftLog.lastTerm())
            .build();
    assertRefused(f, spoof, StepLocalMessageException.class);
    assertTrue(r.raftLog.hasNextUnstableEnts(), "the entry must still be handed to the host");
    f.cluster.send(out.stream().filter(m -> m.getTo() != f.target).toArray(Message[]::new));
    for (StepNode n : f.cluster.nodes().values()) {
      assertEquals(List.of("before", "x"), n.appliedData(), "node " + n.id());
    }
    f.assertClusterRecovers("spoofed MsgStorageAppendResp");
  }

  /**
   * A forged apply acknowledgement would move the applied index past entries the host never
   * applied.
   */
  @Test
  void storageApplyResponseSpoofedFromTheNetworkIsRefused() {
    Fixture f = Fixture.create(Role.LEADER, false);
    Raft r = f.raft();
    long applied = r.raftLog.applied();
    Message spoof =
        Message.newBuilder()
            .setType(MessageType.MsgStorageApplyResp)
            .setTo(f.target)
            .setFrom(Raft.LOCAL_APPLY_THREAD)
            .addEntries(Entries.entry(applied, r.term))
            .build();
    assertRefused(f, spoof, StepLocalMessageException.class);
    assertEquals(applied, r.raftLog.applied());
    f.assertClusterRecovers("spoofed MsgStorageApplyResp");
  }

  /** Only the node itself decides to campaign, heartbeat or check its quorum. */
  @Test
  void localTriggersSpoofedAsStorageThreadsAreRefused() {
    for (long spoofed : new long[] {Raft.LOCAL_APPEND_THREAD, Raft.LOCAL_APPLY_THREAD}) {
      Fixture f = Fixture.create(Role.FOLLOWER, false);
      for (MessageType t :
          new MessageType[] {
            MessageType.MsgHup,
            MessageType.MsgBeat,
            MessageType.MsgCheckQuorum,
            MessageType.MsgStorageAppend,
            MessageType.MsgStorageApply
          }) {
        assertRefused(
            f,
            Message.newBuilder().setType(t).setFrom(spoofed).setTo(f.target).build(),
            StepLocalMessageException.class);
      }
      assertEquals(Role.FOLLOWER, f.node().role());
      f.assertClusterRecovers("spoofed local triggers");
    }
  }

  /** A vote request without a term was answered with a term-less response, which send() refuses. */
  @Test
  void voteRequestWithoutATermIsRefusedInsteadOfCrashingTheVoter() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    assertEquals(
        f.sender, f.raft().vote, "the follower voted for the sender, so it would vote again");
    for (MessageType t :
        new MessageType[] {
          MessageType.MsgVote,
          MessageType.MsgPreVote,
          MessageType.MsgVoteResp,
          MessageType.MsgPreVoteResp
        }) {
      InvalidMessageException e =
          assertRefused(f, f.base(t).setTerm(0).build(), InvalidMessageException.class);
      assertTrue(e.getMessage().contains("without a term"), e.getMessage());
    }
    f.assertClusterRecovers("term-less votes");
  }

  /** A follower forwarded a proposal with a term, which send() refuses for MsgProp. */
  @Test
  void proposalCarryingTheCurrentTermIsRefusedInsteadOfCrashingTheForwardingFollower() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    for (MessageType t : new MessageType[] {MessageType.MsgProp, MessageType.MsgReadIndex}) {
      assertRefused(f, f.base(t).setTerm(f.raft().term).build(), InvalidMessageException.class);
    }
    f.assertClusterRecovers("proposal with a term");
  }

  /** A proposal with a newer term made the leader step down, and only then was it dropped. */
  @Test
  void proposalCarryingANewerTermIsRefusedBeforeItDeposesTheLeader() {
    Fixture f = Fixture.create(Role.LEADER, false);
    for (MessageType t : new MessageType[] {MessageType.MsgProp, MessageType.MsgReadIndex}) {
      assertRefused(f, f.base(t).setTerm(f.raft().term + 1).build(), InvalidMessageException.class);
    }
    assertEquals(Role.LEADER, f.node().role());
    f.assertClusterRecovers("proposal with a newer term");
  }

  /**
   * A term-less heartbeat was taken for one of the current term: it set the leader, then failed on
   * its commit index after that change.
   */
  @Test
  void heartbeatWithoutATermIsRefusedBeforeItChangesTheLeader() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    Message m =
        f.base(MessageType.MsgHeartbeat).setTerm(0).setFrom(3).setCommit(Long.MAX_VALUE).build();
    assertRefused(f, m, InvalidMessageException.class);
    assertEquals(1, f.raft().lead);
    f.assertClusterRecovers("term-less heartbeat");
  }

  /**
   * A follower that received a leadership transfer request from the network (one forwarded to it by
   * a peer) forwarded it with the sender's term, which send() refuses.
   */
  @Test
  void transferRequestReachingAFollowerIsForwardedToTheLeader() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    f.node().raw().step(f.base(MessageType.MsgTransferLeader).setFrom(3).build());
    List<Message> out = f.cluster.collect(f.target);
    assertEquals(1, out.size(), out.toString());
    assertEquals(MessageType.MsgTransferLeader, out.get(0).getType());
    assertEquals(1, out.get(0).getTo());
    assertEquals(3, out.get(0).getFrom());
    assertEquals(f.raft().term, out.get(0).getTerm());
    f.cluster.send(out.toArray(Message[]::new));
    assertEquals(3, f.cluster.leader(), "the leader handed over to the transferee");
    f.assertClusterRecovers("forwarded transfer");
  }

  /**
   * An acknowledgement beyond the leader's log moved the follower's match past it; the leader then
   * failed with IllegalStateException looking for a snapshot to send.
   */
  @Test
  void appendResponseBeyondTheLeadersLogIsRefused() {
    Fixture f = Fixture.create(Role.LEADER, false);
    long last = f.raft().raftLog.lastIndex();
    String progress = f.raft().trk.progress(2).toString();
    InvalidMessageException e =
        assertRefused(
            f,
            f.base(MessageType.MsgAppResp).setIndex(last + 1000).build(),
            InvalidMessageException.class);
    assertTrue(
        e.getMessage().contains("index " + (last + 1000))
            && e.getMessage().contains("last index " + last),
        e.getMessage());
    assertEquals(progress, f.raft().trk.progress(2).toString());
    f.node().raw().step(f.base(MessageType.MsgAppResp).setIndex(last).build());
    assertEquals(
        last, f.raft().trk.progress(2).match(), "an acknowledgement of the last index is fine");
    f.assertClusterRecovers("append response beyond the log");
  }

  /** An append after index 2^63-1 has entries at 2^63 and up, which the validator let through. */
  @Test
  void appendEntriesPast2To63AreRefusedAsOutOfRange() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    Message m =
        f.base(MessageType.MsgApp)
            .setIndex(Long.MAX_VALUE)
            .addEntries(Entries.entry(Long.MIN_VALUE, f.raft().term))
            .build();
    InvalidMessageException e = assertRefused(f, m, InvalidMessageException.class);
    assertTrue(e.getMessage().contains("9223372036854775808"), e.getMessage());
    f.assertClusterRecovers("entry index overflow");
  }

  /**
   * A heartbeat of term 2^63-1 passes validation. A node at that term that campaigned moved to term
   * 2^63 (negative), and the next positive term it heard took it back to a smaller term: it could
   * vote twice in one term. Terms must never go back, so it no longer campaigns.
   */
  @Test
  void theLargestTermIsNeverIncrementedSoTermsNeverGoBack() {
    for (boolean preVote : new boolean[] {false, true}) {
      Fixture f = Fixture.create(Role.FOLLOWER, preVote);
      f.node()
          .raw()
          .step(f.base(MessageType.MsgHeartbeat).setTerm(Long.MAX_VALUE).setCommit(0).build());
      Map<Long, Long> terms = new TreeMap<>();
      for (int tick = 0; tick < 100; tick++) {
        f.cluster.tickAll();
        for (StepNode n : f.cluster.nodes().values()) {
          long previous = terms.getOrDefault(n.id(), 0L);
          assertTrue(
              n.term() >= previous,
              "node " + n.id() + " went from term " + previous + " to " + n.term());
          terms.put(n.id(), n.term());
        }
      }
      assertEquals(Long.MAX_VALUE, f.raft().term);
    }
  }

  /**
   * A heartbeat claiming leadership of the leader's own term, with a commit index past its log,
   * once made the leader throw (as if its log were lost). No second leader of a term can exist: the
   * leader ignores it and keeps leading.
   */
  @Test
  void heartbeatIntoTheLeaderOfTheSameTermDoesNotKillIt() {
    Fixture f = Fixture.create(Role.LEADER, false);
    Raft r = f.raft();
    Fixture.NodeState before = f.state();
    f.node()
        .raw()
        .step(
            f.base(MessageType.MsgHeartbeat)
                .setFrom(2)
                .setTerm(r.term)
                .setCommit(1_000_000)
                .build());
    assertEquals(before, f.state());
    assertEquals(Role.LEADER, r.role);
    f.assertClusterRecovers("same-term heartbeat into the leader");
  }

  /** Only a member of the configuration may hand leadership over with MsgTimeoutNow. */
  @Test
  void timeoutNowFromAnUnknownPeerIsIgnored() {
    Fixture f = Fixture.create(Role.FOLLOWER, true);
    Raft r = f.raft();
    Fixture.NodeState before = f.state();
    f.node()
        .raw()
        .step(f.base(MessageType.MsgTimeoutNow).setFrom(Fixture.STRANGER).setTerm(r.term).build());
    assertEquals(before, f.state(), "a stranger's MsgTimeoutNow started an election");
    f.assertClusterRecovers("MsgTimeoutNow from a stranger");
  }
}

package io.stepraft.raft;

import static io.stepraft.raft.BadInputTest.Fixture.STRANGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input stepped into a follower, a candidate and a leader: the node refuses it with the
 * documented exception and stays as it was, or accepts it without harm to the cluster. The shared
 * {@link Fixture} is also used by {@link BadInputMatrixTest}.
 */
class BadInputTest {
  /** Steps {@code m} into the target, expects {@code type}, and checks that nothing changed. */
  static <T extends RuntimeException> T assertRefused(Fixture f, Message m, Class<T> type) {
    Fixture.NodeState before = f.state();
    T e = assertThrows(type, () -> f.node().raw().step(m), () -> "stepping " + m);
    assertEquals(before, f.state(), "a refused " + m.getType() + " changed the node");
    return e;
  }

  /**
   * A read request forwarded by another node, arriving where it cannot be served, is dropped
   * without an exception (its node times it out) and without any trace.
   */
  static void assertForwardedReadDroppedSilently(Fixture f) {
    Fixture.NodeState before = f.state();
    int queued = f.raft().msgs.size();
    f.node().raw().step(f.base(MessageType.MsgReadIndex).build());
    assertEquals(before, f.state(), "a dropped MsgReadIndex changed the node");
    assertEquals(queued, f.raft().msgs.size(), "a dropped MsgReadIndex sent something");
  }

  @Test
  void localMessageTypesFromTheNetworkAreRefusedInEveryRole() {
    for (Role role : Role.values()) {
      Fixture f = Fixture.create(role, false);
      for (MessageType t : MessageType.values()) {
        if (MessageValidator.isLocal(t)) {
          StepLocalMessageException e =
              assertRefused(f, f.base(t).build(), StepLocalMessageException.class);
          assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
        }
      }
      f.assertClusterRecovers(role + ": local types");
    }
  }

  @Test
  void responsesFromAnUnknownPeerAreRefusedWithUnknownPeerException() {
    MessageType[] responses = {
      MessageType.MsgAppResp,
      MessageType.MsgVoteResp,
      MessageType.MsgHeartbeatResp,
      MessageType.MsgReadIndexResp,
      MessageType.MsgPreVoteResp
    };
    for (Role role : Role.values()) {
      Fixture f = Fixture.create(role, false);
      for (MessageType t : responses) {
        UnknownPeerException e =
            assertRefused(f, f.base(t).setFrom(STRANGER).build(), UnknownPeerException.class);
        assertTrue(e.getMessage().contains("99"), e.getMessage());
      }
      f.assertClusterRecovers(role + ": unknown peer");
    }
  }

  @Test
  void numbersAtOrAbove2To63AreRefusedAsOutOfRange() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    MessageType t = MessageType.MsgApp;
    assertRefused(f, f.base(t).setIndex(Long.MIN_VALUE).build(), InvalidMessageException.class);
    assertRefused(f, f.base(t).setIndex(-1).build(), InvalidMessageException.class);
    assertRefused(f, f.base(t).setCommit(-1).build(), InvalidMessageException.class);
    assertRefused(f, f.base(t).setLogTerm(-7).build(), InvalidMessageException.class);
    assertRefused(f, f.base(t).setTerm(Long.MIN_VALUE).build(), InvalidMessageException.class);
    InvalidMessageException e =
        assertRefused(
            f,
            f.base(MessageType.MsgAppResp).setFrom(1).setReject(true).setRejectHint(-1).build(),
            InvalidMessageException.class);
    assertTrue(
        e.getMessage().contains("18446744073709551615"), "unsigned value in " + e.getMessage());
    f.assertClusterRecovers("out of range");
  }

  @Test
  void appendWithAGapOrBadEntryTermsIsRefusedAsMalformed() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    Message.Builder base = f.base(MessageType.MsgApp);
    long i = base.getIndex();
    long term = base.getTerm();
    assertRefused(
        f,
        base.clone().addEntries(Entries.entry(i + 2, term)).build(),
        InvalidMessageException.class);
    assertRefused(
        f, base.clone().addEntries(Entries.entry(i + 1, 0)).build(), InvalidMessageException.class);
    assertRefused(
        f,
        base.clone().addEntries(Entries.entry(i + 1, term + 1)).build(),
        InvalidMessageException.class);
    assertRefused(
        f,
        base.clone()
            .addEntries(Entries.entry(i + 1, term))
            .addEntries(Entries.entry(i + 2, term - 1))
            .build(),
        InvalidMessageException.class);
    assertRefused(
        f,
        base.clone().setLogTerm(term).addEntries(Entries.entry(i + 1, term - 1)).build(),
        InvalidMessageException.class);
    f.assertClusterRecovers("malformed MsgApp");
  }

  @Test
  void snapshotMessageWithoutAValidSnapshotIsRefused() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    Message.Builder base = f.base(MessageType.MsgSnap);
    assertRefused(f, base.clone().clearSnapshot().build(), InvalidMessageException.class);
    assertRefused(
        f,
        base.clone().setSnapshot(Fixture.snapshotAt(0, 1)).build(),
        InvalidMessageException.class);
    assertRefused(
        f,
        base.clone().setSnapshot(Fixture.snapshotAt(3, 0)).build(),
        InvalidMessageException.class);
    assertRefused(
        f,
        base.clone().setSnapshot(Fixture.snapshotAt(3, base.getTerm() + 1)).build(),
        InvalidMessageException.class);
    f.assertClusterRecovers("malformed MsgSnap");
  }

  @Test
  void proposalAndReadRequestsWithoutTheirEntriesAreRefused() {
    for (Role role : Role.values()) {
      Fixture f = Fixture.create(role, false);
      assertRefused(
          f, f.base(MessageType.MsgProp).clearEntries().build(), InvalidMessageException.class);
      assertRefused(
          f,
          f.base(MessageType.MsgReadIndex).clearEntries().build(),
          InvalidMessageException.class);
      assertRefused(
          f,
          f.base(MessageType.MsgReadIndex).addEntries(Entry.getDefaultInstance()).build(),
          InvalidMessageException.class);
      assertRefused(
          f,
          f.base(MessageType.MsgReadIndexResp).clearEntries().build(),
          InvalidMessageException.class);
      f.assertClusterRecovers(role + ": missing entries");
    }
  }

  @Test
  void messageAddressedToAnotherNodeIsRefused() {
    for (Role role : Role.values()) {
      Fixture f = Fixture.create(role, false);
      long other = f.target == 3 ? 1 : 3;
      for (MessageType t :
          new MessageType[] {
            MessageType.MsgApp,
            MessageType.MsgHeartbeat,
            MessageType.MsgVote,
            MessageType.MsgAppResp,
            MessageType.MsgProp,
            MessageType.MsgSnap,
            MessageType.MsgTimeoutNow
          }) {
        InvalidMessageException e =
            assertRefused(f, f.base(t).setTo(other).build(), InvalidMessageException.class);
        assertTrue(e.getMessage().contains("addressed to " + other), e.getMessage());
      }
      f.assertClusterRecovers(role + ": misaddressed");
    }
  }

  @Test
  void messageWithoutASenderIsRefusedExceptForwardableRequests() {
    Fixture f = Fixture.create(Role.LEADER, false);
    assertRefused(f, f.base(MessageType.MsgApp).setFrom(0).build(), InvalidMessageException.class);
    assertRefused(f, f.base(MessageType.MsgVote).setFrom(0).build(), InvalidMessageException.class);
    f.node().raw().step(f.base(MessageType.MsgProp).setFrom(0).build());
    f.cluster.stabilize();
    for (StepNode n : f.cluster.nodes().values()) {
      assertTrue(
          n.appliedData().contains("bad-MsgProp"),
          "node " + n.id() + " applied " + n.appliedData());
    }
    f.assertClusterRecovers("no sender");
  }

  @Test
  void heartbeatCommitBeyondTheLogFromTheCurrentLeaderFailsLoudlyBeforeChangingAnything() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    long last = f.raft().raftLog.lastIndex();
    IllegalStateException e =
        assertRefused(
            f,
            f.base(MessageType.MsgHeartbeat).setCommit(last + 1).build(),
            IllegalStateException.class);
    assertTrue(
        e.getMessage().contains("commit " + (last + 1))
            && e.getMessage().contains("lastIndex " + last),
        e.getMessage());
    f.assertClusterRecovers("heartbeat commit beyond the log");
  }

  @Test
  void staleHeartbeatWithACommitBeyondTheLogIsIgnored() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    Fixture.NodeState before = f.state();
    f.node()
        .raw()
        .step(f.base(MessageType.MsgHeartbeat).setTerm(1).setCommit(Long.MAX_VALUE).build());
    assertEquals(before, f.state());
    f.assertClusterRecovers("stale heartbeat");
  }

  @Test
  void appendFromTheLeaderWithAHugeCommitCommitsOnlyWhatTheLogHolds() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    long last = f.raft().raftLog.lastIndex();
    f.node().raw().step(f.base(MessageType.MsgApp).setCommit(Long.MAX_VALUE).build());
    assertEquals(last, f.raft().raftLog.committed());
    assertEquals(last, f.raft().raftLog.lastIndex());
    f.assertClusterRecovers("huge commit in MsgApp");
  }

  @Test
  void appendFarBeyondTheLogIsRejectedWithAHintAtTheLastIndex() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    long last = f.raft().raftLog.lastIndex();
    Message m =
        f.base(MessageType.MsgApp)
            .setIndex(last + 1000)
            .setLogTerm(f.raft().term)
            .addEntries(Entries.entry(last + 1001, f.raft().term))
            .build();
    f.node().raw().step(m);
    assertEquals(last, f.raft().raftLog.lastIndex());
    List<Message> out = f.cluster.collect(f.target);
    assertEquals(1, out.size(), out.toString());
    Message resp = out.get(0);
    assertEquals(MessageType.MsgAppResp, resp.getType());
    assertTrue(resp.getReject());
    assertEquals(last + 1000, resp.getIndex());
    assertEquals(last, resp.getRejectHint());
    f.assertClusterRecovers("append beyond the log");
  }

  @Test
  void proposalToACandidateIsDroppedAndReadIndexToo() {
    Fixture f = Fixture.create(Role.CANDIDATE, false);
    ProposalDroppedException e =
        assertRefused(f, f.base(MessageType.MsgProp).build(), ProposalDroppedException.class);
    assertEquals(ProposalDroppedException.Reason.ELECTION_IN_PROGRESS, e.reason());
    assertForwardedReadDroppedSilently(f);
    assertThrows(ReadIndexDroppedException.class, () -> f.node().raw().readIndex(new byte[] {7}));
    f.assertClusterRecovers("candidate drops");
  }

  @Test
  void proposalAndReadIndexToAFollowerWithoutLeaderAreDropped() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    f.node().raw().forgetLeader();
    assertEquals(0, f.raft().lead);
    ProposalDroppedException e =
        assertRefused(f, f.base(MessageType.MsgProp).build(), ProposalDroppedException.class);
    assertEquals(ProposalDroppedException.Reason.NO_LEADER, e.reason());
    assertForwardedReadDroppedSilently(f);
    assertThrows(ReadIndexDroppedException.class, () -> f.node().raw().readIndex(new byte[] {7}));
    f.assertClusterRecovers("follower without leader drops");
  }

  @Test
  void proposalFromAnUnknownPeerIsForwardedAndCommittedLikeAnyOther() {
    Fixture f = Fixture.create(Role.FOLLOWER, false);
    f.node().raw().step(f.base(MessageType.MsgProp).setFrom(STRANGER).build());
    f.cluster.stabilize();
    for (StepNode n : f.cluster.nodes().values()) {
      assertEquals(List.of("before", "bad-MsgProp"), n.appliedData(), "node " + n.id());
    }
    f.assertClusterRecovers("forwarded proposal");
  }

  /**
   * A 3-node cluster (leader 1 at term 2, one committed proposal) with one node chosen as the
   * target of bad input in a given role, and the checks that bad input left no trace.
   */
  static final class Fixture {
    /** The unknown peer that sends bad input. */
    static final long STRANGER = 99;

    /**
     * The observable state of a node that a rejected message must not change: term, vote, commit,
     * role and leader, the log's extent, every peer's progress (on a leader), the votes counted, a
     * transfer, the election timer, pending and answered reads, and what the node has to persist or
     * send ({@code outbox}: the messages queued so far, in order).
     */
    record NodeState(
        HardState hard,
        SoftState soft,
        long lastIndex,
        long committed,
        Map<Long, PeerProgress> progress,
        ProgressTracker.TallyResult votes,
        long leadTransferee,
        int electionElapsedTicks,
        int pendingReads,
        List<ReadState> readStates,
        boolean hasReady,
        List<Message> outbox) {
      /** This state without what the node has to persist or send. */
      NodeState withoutOutput() {
        return new NodeState(
            hard,
            soft,
            lastIndex,
            committed,
            progress,
            votes,
            leadTransferee,
            electionElapsedTicks,
            pendingReads,
            readStates,
            false,
            List.of());
      }
    }

    final StepCluster cluster;
    final Role role;

    /** The node the bad input is stepped into. */
    final long target;

    /** A member that would plausibly send the target messages of the current term. */
    final long sender;

    private Fixture(StepCluster cluster, Role role, long target, long sender) {
      this.cluster = cluster;
      this.role = role;
      this.target = target;
      this.sender = sender;
    }

    /**
     * Builds the cluster; PRE_CANDIDATE turns on PreVote and CheckQuorum, the others use defaults
     * unless asked.
     */
    static Fixture create(Role role, boolean preVoteAndCheckQuorum) {
      boolean pv = preVoteAndCheckQuorum || role == Role.PRE_CANDIDATE;
      StepCluster c = StepCluster.create(3, b -> b.preVote(pv).checkQuorum(pv));
      c.campaign(1);
      c.propose(1, "before");
      Fixture f =
          switch (role) {
            case LEADER -> new Fixture(c, role, 1, 2);
            case FOLLOWER -> new Fixture(c, role, 2, 1);
            case CANDIDATE, PRE_CANDIDATE -> new Fixture(c, role, 3, 2);
          };
      if (role == Role.CANDIDATE || role == Role.PRE_CANDIDATE) {
        c.isolate(3);
        c.node(3).raw().campaign();
        c.stabilize();
      }
      assertEquals(role, f.node().role(), "fixture role");
      return f;
    }

    StepNode node() {
      return cluster.node(target);
    }

    Raft raft() {
      return node().raw().raft();
    }

    NodeState state() {
      Raft r = raft();
      List<Message> outbox = new ArrayList<>(r.msgs);
      outbox.addAll(r.msgsAfterAppend);
      return new NodeState(
          r.hardState(),
          r.softState(),
          r.raftLog.lastIndex(),
          r.raftLog.committed(),
          node().raw().status().progress(),
          r.trk.tallyVotes(),
          r.leaderRole.transferee(),
          r.electionElapsedTicks + r.leaderRole.electionElapsedTicks(),
          r.leaderRole.pendingReads(),
          List.copyOf(r.readStates),
          node().raw().hasReady(),
          List.copyOf(outbox));
    }

    /**
     * A plausible message of type {@code t} from {@link #sender} at the target's term, describing
     * the target's own log; each bad-input case changes one thing in it.
     */
    Message.Builder base(MessageType t) {
      Raft r = raft();
      Message.Builder b =
          Message.newBuilder()
              .setType(t)
              .setFrom(sender)
              .setTo(target)
              .setTerm(r.term)
              .setIndex(r.raftLog.lastIndex())
              .setLogTerm(r.raftLog.lastTerm())
              .setCommit(r.raftLog.committed());
      switch (t) {
        case MsgProp, MsgReadIndex ->
            b.setTerm(0)
                .addEntries(
                    Entry.newBuilder()
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("bad-" + t)));
        case MsgReadIndexResp ->
            b.addEntries(
                Entry.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("ctx")));
        case MsgSnap ->
            b.setSnapshot(
                snapshotAt(r.raftLog.committed(), r.raftLog.termOrZero(r.raftLog.committed())));
        default -> {}
      }
      return b;
    }

    static Snapshot snapshotAt(long index, long term) {
      return Snapshots.snapshot(index, term, ConfStates.voters(1, 2, 3));
    }

    /**
     * Heals the network and checks that the cluster is sound: it (re-)elects a leader that all
     * nodes follow in one term, commits a new proposal on every node, and every node holds the same
     * log and applied the same entries.
     */
    void assertClusterRecovers(String label) {
      StepCluster c = cluster;
      c.recover();
      c.stabilize();
      long leader = awaitStableLeader(label);
      proposeWithRetry(leader, "after", label);
      c.tickAll(3);
      StepNode first = c.node(1);
      for (StepNode n : c.nodes().values()) {
        assertTrue(
            n.appliedData().contains("after"),
            label
                + ": node "
                + n.id()
                + " did not apply the new proposal, "
                + "applied "
                + n.appliedData());
        assertEquals(
            first.applied(),
            n.applied(),
            label + ": applied entries of node " + n.id() + " differ from node 1");
        assertEquals(first.commit(), n.commit(), label + ": commit of node " + n.id());
        assertEquals(
            first.log(), n.log(), label + ": log of node " + n.id() + " differs from node 1");
      }
    }

    private long awaitStableLeader(String label) {
      for (int tick = 0; tick < 300; tick++) {
        long leader = stableLeader();
        if (leader != 0) {
          return leader;
        }
        cluster.tickAll();
      }
      throw new AssertionError(label + ": no stable leader after 300 ticks");
    }

    /** The leader that every node follows in one term, or 0. */
    private long stableLeader() {
      long leader = cluster.leader();
      if (leader == 0) {
        return 0;
      }
      long term = cluster.node(leader).term();
      for (StepNode n : cluster.nodes().values()) {
        if (n.term() != term || n.lead() != leader) {
          return 0;
        }
      }
      return leader;
    }

    private void proposeWithRetry(long leader, String data, String label) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          cluster.propose(leader, data);
          return;
        } catch (ProposalDroppedException e) {
          cluster.tickAll();
          leader = awaitStableLeader(label);
        }
      }
      throw new AssertionError(label + ": proposal kept being dropped");
    }
  }
}

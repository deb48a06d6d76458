package io.stepraft.raft;

import static io.stepraft.raft.BadInputTest.Fixture.STRANGER;

import com.google.protobuf.ByteString;
import io.stepraft.raft.BadInputTest.Fixture;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Snapshots;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message type, in every role, with every kind of bad input: out-of-range numbers, unknown or
 * spoofed senders, stale or missing terms, malformed content. The expected outcome is written down
 * here from the documented rules (not taken from {@link MessageValidator}):
 *
 * <ol>
 *   <li>a local type is refused with {@link StepLocalMessageException} (whatever the sender:
 *       without async storage writes no storage thread steps messages in);
 *   <li>a message claiming to come from a storage thread with {@link InvalidMessageException};
 *   <li>a response from a non-member with {@link UnknownPeerException};
 *   <li>a malformed message with {@link InvalidMessageException}: a field at or above 2^63, a
 *       sender that is missing, another recipient, a term where the type forbids one or none where
 *       it needs one, bad MsgApp entries, a MsgSnap without a valid snapshot,
 *       MsgProp/MsgReadIndex/MsgReadIndexResp without their entries, an acknowledgement of entries
 *       the leader does not have;
 *   <li>anything else is either accepted, or dropped with {@link ProposalDroppedException}
 *       (MsgProp) or {@link ReadIndexDroppedException} (MsgReadIndex); {@link
 *       IllegalStateException} only for a heartbeat of the current (or a newer) term whose commit
 *       index is beyond our log.
 * </ol>
 *
 * <p>A refused message must leave the node exactly as it was ({@link Fixture.NodeState}). A
 * well-formed message of a term below the receiver's is accepted and ignored: it too leaves the
 * node as it was, except for the documented answers, which must be exactly these: a MsgApp or
 * MsgHeartbeat gets a MsgAppResp carrying the current term when the receiver runs CheckQuorum or
 * PreVote or the sender is not one of its voters (so that the stale leader learns of the term), and
 * a MsgPreVote gets a rejection carrying the current term. After any input the cluster must elect a
 * leader, commit a new proposal everywhere, and hold one log.
 */
class BadInputMatrixTest {
  private static final Set<MessageType> LOCAL =
      EnumSet.of(
          MessageType.MsgHup,
          MessageType.MsgBeat,
          MessageType.MsgUnreachable,
          MessageType.MsgSnapStatus,
          MessageType.MsgCheckQuorum,
          MessageType.MsgStorageAppend,
          MessageType.MsgStorageAppendResp,
          MessageType.MsgStorageApply,
          MessageType.MsgStorageApplyResp);
  private static final Set<MessageType> RESPONSES =
      EnumSet.of(
          MessageType.MsgAppResp,
          MessageType.MsgVoteResp,
          MessageType.MsgHeartbeatResp,
          MessageType.MsgUnreachable,
          MessageType.MsgReadIndexResp,
          MessageType.MsgPreVoteResp,
          MessageType.MsgStorageAppendResp,
          MessageType.MsgStorageApplyResp);
  private static final Set<MessageType> TERMLESS =
      EnumSet.of(MessageType.MsgProp, MessageType.MsgReadIndex);

  /** The context of the read that a case leaves pending on a leader before stepping its message. */
  private static final ByteString PENDING_READ = ByteString.copyFromUtf8("pending-read");

  /**
   * One kind of bad input: a change to the plausible base message (which may also prepare the
   * target first, before its state is recorded, e.g. with a pending read).
   */
  record Case(String name, BiConsumer<Message.Builder, Fixture> mutate) {}

  static List<Case> cases() {
    List<Case> cs = new ArrayList<>();
    cs.add(new Case("unknown peer", (m, f) -> m.setFrom(STRANGER)));
    cs.add(
        new Case(
            "unknown peer, newer term", (m, f) -> m.setFrom(STRANGER).setTerm(f.raft().term + 1)));
    cs.add(new Case("stale term", (m, f) -> m.setTerm(f.raft().term - 1)));
    // An earlier term's leader may have had a longer log: its follower's answers say so.
    cs.add(
        new Case(
            "stale term, index beyond the log",
            (m, f) -> m.setTerm(f.raft().term - 1).setIndex(f.raft().raftLog.lastIndex() + 5)));
    cs.add(
        new Case(
            "stale term, rejection beyond the log",
            (m, f) ->
                m.setTerm(f.raft().term - 1)
                    .setIndex(f.raft().raftLog.lastIndex() + 5)
                    .setReject(true)
                    .setRejectHint(f.raft().raftLog.lastIndex())));
    cs.add(
        new Case(
            "stale term, answering the leader's pending read",
            (m, f) -> {
              ByteString round = PENDING_READ;
              if (f.role == Role.LEADER) {
                f.node().raw().readIndex(PENDING_READ.toByteArray());
                // The echo names the read round the leader's heartbeats carry, not the host's
                // context.
                round =
                    f.raft().msgs.stream()
                        .filter(
                            h ->
                                h.getType() == MessageType.MsgHeartbeat
                                    && !h.getContext().isEmpty())
                        .findFirst()
                        .orElseThrow()
                        .getContext();
              }
              m.setTerm(f.raft().term - 1).setContext(round);
            }));
    cs.add(new Case("no term", (m, f) -> m.setTerm(0)));
    cs.add(new Case("the receiver's term", (m, f) -> m.setTerm(f.raft().term)));
    cs.add(new Case("term at 2^63", (m, f) -> m.setTerm(Long.MIN_VALUE)));
    cs.add(
        new Case(
            "index far beyond the log", (m, f) -> m.setIndex(f.raft().raftLog.lastIndex() + 1000)));
    cs.add(new Case("index 2^63", (m, f) -> m.setIndex(Long.MIN_VALUE)));
    cs.add(new Case("index 2^64-1", (m, f) -> m.setIndex(-1)));
    cs.add(new Case("commit huge", (m, f) -> m.setCommit(Long.MAX_VALUE)));
    cs.add(new Case("commit 2^63", (m, f) -> m.setCommit(Long.MIN_VALUE)));
    cs.add(new Case("logTerm huge", (m, f) -> m.setLogTerm(Long.MAX_VALUE)));
    cs.add(new Case("logTerm 2^64-5", (m, f) -> m.setLogTerm(-5)));
    cs.add(
        new Case(
            "rejection with hint beyond the log",
            (m, f) ->
                m.setReject(true)
                    .setRejectHint(f.raft().raftLog.lastIndex() + 1000)
                    .setLogTerm(Long.MAX_VALUE)));
    cs.add(new Case("rejectHint 2^64-1", (m, f) -> m.setReject(true).setRejectHint(-1)));
    cs.add(new Case("no sender", (m, f) -> m.setFrom(0)));
    cs.add(new Case("sender 2^64-3", (m, f) -> m.setFrom(-3)));
    cs.add(
        new Case("sender spoofs the append thread", (m, f) -> m.setFrom(Raft.LOCAL_APPEND_THREAD)));
    cs.add(
        new Case("sender spoofs the apply thread", (m, f) -> m.setFrom(Raft.LOCAL_APPLY_THREAD)));
    cs.add(new Case("addressed to another member", (m, f) -> m.setTo(f.target == 3 ? 1 : 3)));
    cs.add(new Case("addressed to a stranger", (m, f) -> m.setTo(STRANGER)));
    cs.add(new Case("no entries", (m, f) -> m.clearEntries()));
    cs.add(
        new Case(
            "two empty entries",
            (m, f) ->
                m.clearEntries()
                    .addEntries(Entry.getDefaultInstance())
                    .addEntries(Entry.getDefaultInstance())));
    cs.add(
        new Case(
            "entries with a gap",
            (m, f) -> m.clearEntries().addEntries(entry(m.getIndex() + 2, m.getTerm()))));
    cs.add(
        new Case(
            "entry of term 0", (m, f) -> m.clearEntries().addEntries(entry(m.getIndex() + 1, 0))));
    cs.add(
        new Case(
            "entry term above the message term",
            (m, f) -> m.clearEntries().addEntries(entry(m.getIndex() + 1, m.getTerm() + 1))));
    cs.add(
        new Case(
            "entry terms decreasing",
            (m, f) ->
                m.clearEntries()
                    .addEntries(entry(m.getIndex() + 1, m.getTerm()))
                    .addEntries(entry(m.getIndex() + 2, m.getLogTerm() - 1))));
    cs.add(
        new Case(
            "entry index overflows",
            (m, f) ->
                m.setIndex(Long.MAX_VALUE)
                    .clearEntries()
                    .addEntries(entry(Long.MIN_VALUE, m.getTerm()))));
    cs.add(new Case("no snapshot", (m, f) -> m.clearSnapshot()));
    cs.add(
        new Case(
            "snapshot index 2^63", (m, f) -> m.setSnapshot(snapshot(Long.MIN_VALUE, 1, 1, 2, 3))));
    cs.add(
        new Case(
            "snapshot term above the message term",
            (m, f) -> m.setSnapshot(snapshot(m.getCommit(), m.getTerm() + 1, 1, 2, 3))));
    cs.add(
        new Case(
            "snapshot ahead without this node",
            (m, f) ->
                m.setSnapshot(snapshot(m.getCommit() + 5, m.getTerm(), f.target == 4 ? 5 : 4))));
    return cs;
  }

  private static Entry entry(long index, long term) {
    return Entries.entry(index, term, "forged");
  }

  private static Snapshot snapshot(long index, long term, long... voters) {
    return Snapshots.snapshot(index, term, ConfStates.voters(voters));
  }

  @TestFactory
  Stream<DynamicTest> everyMessageTypeWithEveryBadInputInEveryRoleLeavesNoTrace() {
    List<DynamicTest> tests = new ArrayList<>();
    for (boolean pv : new boolean[] {false, true}) {
      for (Role role : Role.values()) {
        if ((role == Role.CANDIDATE && pv) || (role == Role.PRE_CANDIDATE && !pv)) {
          continue;
        }
        for (MessageType t : MessageType.values()) {
          String name = t + " into a " + role + (pv ? " (PreVote, CheckQuorum)" : "");
          tests.add(DynamicTest.dynamicTest(name, () -> runAllCases(role, pv, t)));
        }
      }
    }
    return tests.stream();
  }

  private static void runAllCases(Role role, boolean pv, MessageType t) {
    List<String> failures = new ArrayList<>();
    for (Case c : cases()) {
      String label = t + " into " + role + (pv ? " (pv)" : "") + ", " + c.name();
      try {
        runCase(role, pv, t, c, label);
      } catch (AssertionError | RuntimeException e) {
        failures.add(label + ": " + e);
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          failures.size() + " case(s) failed:\n" + String.join("\n", failures));
    }
  }

  private static void runCase(Role role, boolean pv, MessageType t, Case c, String label) {
    Fixture f = Fixture.create(role, pv);
    Message.Builder b = f.base(t);
    c.mutate().accept(b, f);
    Message m = b.build();
    Fixture.NodeState before = f.state();
    Class<? extends RuntimeException> must = mustThrow(m, f);
    RuntimeException thrown = null;
    try {
      f.node().raw().step(m);
    } catch (RuntimeException e) {
      thrown = e;
    }
    checkOutcome(m, f, before, must, thrown, label);
    if (thrown != null && !before.equals(f.state())) {
      throw new AssertionError(
          label
              + ": refused with "
              + thrown
              + " but the node changed from "
              + before
              + " to "
              + f.state());
    }
    if (thrown == null && m.getTerm() != 0 && m.getTerm() < before.hard().getTerm()) {
      assertStaleLeftNoTrace(m, f, before, label);
    }
    f.assertClusterRecovers(label);
  }

  /**
   * A message of an earlier term changed nothing, and queued exactly the documented answers ({@link
   * #staleAnswers}) and nothing else.
   */
  static void assertStaleLeftNoTrace(Message m, Fixture f, Fixture.NodeState before, String label) {
    Fixture.NodeState after = f.state();
    if (!before.withoutOutput().equals(after.withoutOutput())) {
      throw new AssertionError(
          label
              + ": a message of an earlier term changed the node from "
              + before.withoutOutput()
              + " to "
              + after.withoutOutput());
    }
    List<Message> answers = staleAnswers(m, f);
    List<Message> expected = new ArrayList<>(before.outbox());
    expected.addAll(answers);
    if (!expected.equals(after.outbox())) {
      throw new AssertionError(
          label
              + ": a message of an earlier term should leave the outbox "
              + expected
              + " but left "
              + after.outbox());
    }
    if (after.hasReady() != (before.hasReady() || !answers.isEmpty())) {
      throw new AssertionError(
          label
              + ": hasReady "
              + before.hasReady()
              + " -> "
              + after.hasReady()
              + " with the outbox "
              + after.outbox());
    }
  }

  /** What a node answers to {@code m}, a message of a term below its own, from a member. */
  static List<Message> staleAnswers(Message m, Fixture f) {
    Raft r = f.raft();
    Message.Builder answer =
        Message.newBuilder().setFrom(f.target).setTo(m.getFrom()).setTerm(r.term);
    boolean voter = r.trk.voters().contains(m.getFrom());
    return switch (m.getType()) {
      case MsgApp, MsgHeartbeat ->
          r.checkQuorum || r.preVote || !voter
              ? List.of(answer.setType(MessageType.MsgAppResp).build())
              : List.of();
      case MsgPreVote ->
          List.of(answer.setType(MessageType.MsgPreVoteResp).setReject(true).build());
      default -> List.of();
    };
  }

  private static void checkOutcome(
      Message m,
      Fixture f,
      Fixture.NodeState before,
      Class<? extends RuntimeException> must,
      RuntimeException thrown,
      String label) {
    if (must != null) {
      if (thrown == null || thrown.getClass() != must) {
        throw new AssertionError(
            label + ": expected " + must.getSimpleName() + " but got " + thrown, thrown);
      }
      return;
    }
    if (thrown == null) {
      return;
    }
    MessageType t = m.getType();
    boolean ok =
        (thrown instanceof ProposalDroppedException && t == MessageType.MsgProp)
            || (thrown instanceof ReadIndexDroppedException && t == MessageType.MsgReadIndex)
            || (thrown.getClass() == IllegalStateException.class
                && t == MessageType.MsgHeartbeat
                && m.getTerm() >= before.hard().getTerm()
                && m.getCommit() > before.lastIndex());
    if (!ok) {
      throw new AssertionError(label + ": undocumented " + thrown, thrown);
    }
  }

  /** The exception the documented rules demand for {@code m}, or null if it is well-formed. */
  static Class<? extends RuntimeException> mustThrow(Message m, Fixture f) {
    MessageType t = m.getType();
    if (LOCAL.contains(t)) {
      return StepLocalMessageException.class;
    }
    if (m.getFrom() == Raft.LOCAL_APPEND_THREAD || m.getFrom() == Raft.LOCAL_APPLY_THREAD) {
      return InvalidMessageException.class;
    }
    boolean member = m.getFrom() >= 1 && m.getFrom() <= 3;
    if (RESPONSES.contains(t) && !member) {
      return UnknownPeerException.class;
    }
    if (m.getTerm() < 0
        || m.getIndex() < 0
        || m.getLogTerm() < 0
        || m.getCommit() < 0
        || m.getRejectHint() < 0
        || m.getFrom() < 0
        || (m.getFrom() == 0 && !TERMLESS.contains(t))
        || (m.getTo() != 0 && m.getTo() != f.target)
        || TERMLESS.contains(t) == (m.getTerm() != 0)
        || !contentValid(m, f)) {
      return InvalidMessageException.class;
    }
    return null;
  }

  private static boolean contentValid(Message m, Fixture f) {
    return switch (m.getType()) {
      case MsgApp -> entriesValid(m);
      case MsgProp -> m.getEntriesCount() > 0;
      case MsgReadIndex, MsgReadIndexResp -> m.getEntriesCount() == 1;
      case MsgSnap ->
          m.hasSnapshot()
              && m.getSnapshot().getMetadata().getIndex() > 0
              && m.getSnapshot().getMetadata().getTerm() > 0
              && m.getSnapshot().getMetadata().getTerm() <= m.getTerm();
      case MsgAppResp ->
          m.getReject()
              || m.getTerm() != f.raft().term
              || f.role != Role.LEADER
              || m.getIndex() <= f.raft().raftLog.lastIndex();
      default -> true;
    };
  }

  private static boolean entriesValid(Message m) {
    long prevIndex = m.getIndex();
    long prevTerm = m.getLogTerm();
    for (Entry e : m.getEntriesList()) {
      if (e.getIndex() <= 0
          || e.getIndex() != prevIndex + 1
          || e.getTerm() <= 0
          || e.getTerm() < prevTerm
          || e.getTerm() > m.getTerm()) {
        return false;
      }
      prevIndex = e.getIndex();
      prevTerm = e.getTerm();
    }
    return true;
  }
}

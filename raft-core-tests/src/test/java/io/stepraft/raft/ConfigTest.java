package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Config}: validation of every field, defaults, toBuilder, and seeded determinism. */
class ConfigTest {
  private static Config.Builder valid() {
    return Config.builder().id(1).storage(new MemoryStorage());
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        invalid("id", b -> b.id(0)),
        invalid("reserved", b -> b.id(-1)),
        invalid("reserved", b -> b.id(-2)),
        invalid("heartbeatTicks", b -> b.heartbeatTicks(0)),
        invalid("heartbeatTicks", b -> b.heartbeatTicks(-1)),
        invalid("electionTicks", b -> b.electionTicks(1).heartbeatTicks(1)),
        invalid("electionTicks", b -> b.electionTicks(3).heartbeatTicks(5)),
        invalid("electionTicks", b -> b.electionTicks(0)),
        invalid("electionTicks", b -> b.electionTicks((1 << 30) + 1)),
        invalid("storage", b -> b.storage(null)),
        invalid("applied", b -> b.applied(-1)),
        invalid("maxSizePerMsgBytes", b -> b.maxSizePerMsgBytes(0)),
        invalid("maxSizePerMsgBytes", b -> b.maxSizePerMsgBytes(-5)),
        invalid("maxCommittedSizePerReadyBytes", b -> b.maxCommittedSizePerReadyBytes(0)),
        invalid(
            "maxCommittedSizePerReadyBytes", b -> b.maxCommittedSizePerReadyBytes(Long.MIN_VALUE)),
        invalid("maxUncommittedEntriesSizeBytes", b -> b.maxUncommittedEntriesSizeBytes(0)),
        invalid("maxUncommittedEntriesSizeBytes", b -> b.maxUncommittedEntriesSizeBytes(-1)),
        invalid("maxInflightMsgs", b -> b.maxInflightMsgs(0)),
        invalid("maxInflightMsgs", b -> b.maxInflightMsgs(-3)),
        invalid("maxInflightBytes", b -> b.maxSizePerMsgBytes(1024).maxInflightBytes(1023)),
        invalid("maxInflightBytes", b -> b.maxInflightBytes(0)),
        invalid("readOnlyOption", b -> b.readOnlyOption(null)),
        invalid(
            "LEASE_BASED", b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(false)),
        invalid("loggerName", b -> b.loggerName("")),
        invalid("loggerName", b -> b.loggerName(null)));
  }

  private static Arguments invalid(String field, UnaryOperator<Config.Builder> tweak) {
    return Arguments.of(field, tweak);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void everyInvalidFieldIsRejectedWithAnIllegalArgumentExceptionNamingIt(
      String field, UnaryOperator<Config.Builder> tweak) {
    Config.Builder b = tweak.apply(valid());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains(field), "message names " + field + ": " + e.getMessage());
  }

  @Test
  void invalidValuesAppearInTheMessage() {
    assertTrue(message(valid().applied(-42)).contains("-42"));
    assertTrue(message(valid().heartbeatTicks(-7)).contains("-7"));
    assertTrue(message(valid().maxInflightMsgs(-9)).contains("-9"));
    String m = message(valid().maxSizePerMsgBytes(4096).maxInflightBytes(100));
    assertTrue(m.contains("100") && m.contains("4096"), m);
    m = message(valid().electionTicks(2).heartbeatTicks(2));
    assertTrue(m.contains("2 <= 2"), m);
  }

  private static String message(Config.Builder b) {
    return assertThrows(IllegalArgumentException.class, b::build).getMessage();
  }

  @Test
  void boundaryValuesAreAccepted() {
    Config c =
        valid()
            .electionTicks(2)
            .heartbeatTicks(1)
            .applied(0)
            .maxSizePerMsgBytes(1)
            .maxCommittedSizePerReadyBytes(1)
            .maxUncommittedEntriesSizeBytes(1)
            .maxInflightMsgs(1)
            .maxInflightBytes(1)
            .id(-3)
            .build();
    assertEquals(-3, c.id(), "ids are unsigned on the wire; 0, -1 and -2 are reserved");
    assertEquals(1, c.maxInflightBytes());
    assertEquals(1 << 30, valid().electionTicks(1 << 30).build().electionTicks());
    Config lease = valid().readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(true).build();
    assertEquals(ReadOnlyOption.LEASE_BASED, lease.readOnlyOption());
  }

  @Test
  void defaultsFollowEtcdWithFiniteLimits() {
    MemoryStorage storage = new MemoryStorage();
    Config c = Config.builder().id(7).storage(storage).build();
    assertEquals(7, c.id());
    assertSame(storage, c.storage());
    assertEquals(10, c.electionTicks());
    assertEquals(1, c.heartbeatTicks());
    assertEquals(0, c.applied());
    assertEquals(Config.DEFAULT_MAX_SIZE_PER_MSG_BYTES, c.maxSizePerMsgBytes());
    assertEquals(1L << 20, c.maxSizePerMsgBytes());
    assertEquals(16L << 20, c.maxCommittedSizePerReadyBytes());
    assertEquals(64L << 20, c.maxUncommittedEntriesSizeBytes());
    assertEquals(256, c.maxInflightMsgs());
    assertEquals(32L << 20, c.maxInflightBytes());
    assertFalse(c.checkQuorum());
    assertFalse(c.preVote());
    assertEquals(ReadOnlyOption.SAFE, c.readOnlyOption());
    assertFalse(c.disableProposalForwarding());
    assertFalse(c.stepDownOnRemoval());
    assertFalse(c.disableConfChangeValidation());
    assertFalse(c.asyncStorageWrites());
    assertEquals(7, c.randomSeed(), "the seed defaults to the node id");
    assertEquals("io.stepraft.raft", c.loggerName());
  }

  @Test
  void aReservedIdIsNamedInUnsignedForm() {
    assertTrue(message(valid().id(-1)).contains("18446744073709551615"));
  }

  // ---------------------------------------------------------------- etcd's special values

  /**
   * etcd's MaxSizePerMsg 0 means one entry per message; here that is 1 byte. Node 3 misses five
   * small proposals and catches up: one entry per MsgApp, where the default sends all five at once.
   */
  @Test
  void aOneByteMessageSizeSendsOneEntryPerMessageLikeEtcdsZero() {
    assertEquals(1, mostEntriesInOneCatchUpMessage(b -> b.maxSizePerMsgBytes(1), 10, 5));
    assertEquals(5, mostEntriesInOneCatchUpMessage(b -> b, 10, 5));
  }

  /** NO_LIMIT, etcd's 0 or MaxUint64 for the byte limits, lets one message carry 1.5 MiB. */
  @Test
  void noLimitLiftsTheByteLimits() {
    int payload = 300 << 10;
    assertEquals(3, mostEntriesInOneCatchUpMessage(b -> b, payload, 5), "1 MiB by default");
    assertEquals(
        5,
        mostEntriesInOneCatchUpMessage(
            b ->
                b.maxSizePerMsgBytes(Config.NO_LIMIT)
                    .maxCommittedSizePerReadyBytes(Config.NO_LIMIT)
                    .maxUncommittedEntriesSizeBytes(Config.NO_LIMIT)
                    .maxInflightBytes(Config.NO_LIMIT),
            payload,
            5));
  }

  /**
   * Node 3 misses {@code count} proposals, then catches up; the most entries one MsgApp to it
   * carried.
   */
  private static int mostEntriesInOneCatchUpMessage(
      UnaryOperator<Config.Builder> tweak, int payloadBytes, int count) {
    StepCluster c = StepCluster.create(3, tweak);
    c.campaign(1);
    c.isolate(3);
    for (int i = 0; i < count; i++) {
      c.node(1).raw().propose(new byte[payloadBytes]);
      c.stabilize();
    }
    c.recover();
    c.recordDelivered(true);
    for (int t = 0; t < 50 && c.node(3).appliedData().size() < count; t++) {
      c.tickAll();
    }
    assertEquals(count, c.node(3).appliedData().size(), "node 3 caught up");
    return c.delivered().stream()
        .filter(m -> m.getType() == MessageType.MsgApp && m.getTo() == 3)
        .mapToInt(Message::getEntriesCount)
        .max()
        .orElse(0);
  }

  /**
   * etcd's MaxUncommittedEntriesSize 0 is NO_LIMIT: a leader cut off from its quorum keeps taking
   * proposals.
   */
  @Test
  void noLimitLiftsTheUncommittedLimit() {
    assertEquals(
        1,
        acceptedWhileCutOff(b -> b.maxUncommittedEntriesSizeBytes(1 << 20)),
        "the first always fits");
    assertEquals(4, acceptedWhileCutOff(b -> b.maxUncommittedEntriesSizeBytes(Config.NO_LIMIT)));
  }

  private static int acceptedWhileCutOff(UnaryOperator<Config.Builder> tweak) {
    StepCluster c = StepCluster.create(3, tweak);
    c.campaign(1);
    c.isolate(1);
    int accepted = 0;
    for (int i = 0; i < 4; i++) {
      try {
        c.node(1).raw().propose(new byte[1 << 20]);
        accepted++;
      } catch (ProposalDroppedException e) {
        assertEquals(ProposalDroppedException.Reason.UNCOMMITTED_LIMIT, e.reason());
      }
    }
    return accepted;
  }

  @Test
  void anExplicitSeedIsKeptEvenWhenZero() {
    assertEquals(0, valid().randomSeed(0).build().randomSeed());
    assertEquals(-5, valid().randomSeed(-5).build().randomSeed());
  }

  private static Config everyFieldSet() {
    return Config.builder()
        .id(3)
        .storage(new MemoryStorage())
        .electionTicks(25)
        .heartbeatTicks(4)
        .applied(9)
        .maxSizePerMsgBytes(2000)
        .maxCommittedSizePerReadyBytes(3000)
        .maxUncommittedEntriesSizeBytes(4000)
        .maxInflightMsgs(17)
        .maxInflightBytes(5000)
        .checkQuorum(true)
        .preVote(true)
        .readOnlyOption(ReadOnlyOption.LEASE_BASED)
        .disableProposalForwarding(true)
        .stepDownOnRemoval(true)
        .disableConfChangeValidation(true)
        .randomSeed(12345)
        .loggerName("raft.test")
        .build();
  }

  @Test
  void toBuilderRoundTripKeepsEveryField() {
    Config c = everyFieldSet();
    Config copy = c.toBuilder().build();
    assertEquals(c.toString(), copy.toString());
    assertSame(c.storage(), copy.storage());
    assertEquals(c.loggerName(), copy.loggerName());
    assertEquals(12345, copy.randomSeed());
    assertEquals(ReadOnlyOption.LEASE_BASED, copy.readOnlyOption());
    assertTrue(
        copy.checkQuorum()
            && copy.preVote()
            && copy.disableProposalForwarding()
            && copy.stepDownOnRemoval()
            && copy.disableConfChangeValidation());
    assertEquals(
        List.of(25, 4, 17),
        List.of(copy.electionTicks(), copy.heartbeatTicks(), copy.maxInflightMsgs()));
    assertEquals(
        List.of(9L, 2000L, 3000L, 4000L, 5000L),
        List.of(
            copy.applied(),
            copy.maxSizePerMsgBytes(),
            copy.maxCommittedSizePerReadyBytes(),
            copy.maxUncommittedEntriesSizeBytes(),
            copy.maxInflightBytes()));
  }

  @Test
  void toBuilderKeepsTheDerivedSeedWhenTheIdChanges() {
    Config c = valid().id(5).build();
    Config other = c.toBuilder().id(6).build();
    assertEquals(6, other.id());
    assertEquals(5, other.randomSeed(), "the seed was fixed when the first config was built");
    assertEquals(5, c.id(), "the original is unchanged");
  }

  @Test
  void toBuilderRevalidates() {
    Config c = valid().build();
    assertThrows(IllegalArgumentException.class, () -> c.toBuilder().heartbeatTicks(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> c.toBuilder().readOnlyOption(ReadOnlyOption.LEASE_BASED).build());
  }

  @Test
  void toStringNamesTheFields() {
    String s = everyFieldSet().toString();
    for (String part :
        new String[] {
          "id=3",
          "electionTicks=25",
          "heartbeatTicks=4",
          "maxInflightMsgs=17",
          "readOnlyOption=LEASE_BASED",
          "randomSeed=12345"
        }) {
      assertTrue(s.contains(part), part + " in " + s);
    }
  }

  // ---------------------------------------------------------------- determinism

  @Test
  void theSameSeedGivesTheSameElectionTimeouts() {
    for (long seed = 0; seed < 50; seed++) {
      RawNode a = new RawNode(valid().randomSeed(seed).build());
      RawNode b = new RawNode(valid().id(2).randomSeed(seed).build());
      for (int round = 0; round < 20; round++) {
        int ta = a.raft().randomizedElectionTicks;
        assertEquals(ta, b.raft().randomizedElectionTicks, "seed " + seed + " round " + round);
        assertTrue(ta >= 10 && ta < 20, "timeout " + ta + " within [10, 20)");
        a.raft().becomeFollower(round + 1, Raft.NONE);
        b.raft().becomeFollower(round + 1, Raft.NONE);
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentElectionTimeoutSequences() {
    List<Integer> first = timeouts(1);
    List<Integer> second = timeouts(2);
    assertNotEquals(first, second);
    assertEquals(first, timeouts(1));
  }

  private static List<Integer> timeouts(long seed) {
    RawNode n = new RawNode(valid().randomSeed(seed).build());
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      out.add(n.raft().randomizedElectionTicks);
      n.raft().becomeFollower(i + 1, Raft.NONE);
    }
    return out;
  }

  @Test
  void twoClustersFromEqualConfigsFedEqualInputsProduceEqualReadies() {
    List<String> first = DeterminismSim.run(3, 200, b -> b.preVote(true).checkQuorum(true));
    List<String> second = DeterminismSim.run(3, 200, b -> b.preVote(true).checkQuorum(true));
    assertTrue(first.size() > 100, "the run did something: " + first.size() + " Readies");
    assertTrue(first.stream().anyMatch(s -> s.contains("LEADER")), "a leader was elected");
    assertTrue(
        first.stream().anyMatch(s -> s.contains("committed=[p")), "proposals were committed");
    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i), second.get(i), "Ready #" + i);
    }
  }

  @Test
  void clustersWithOtherSeedsTakeAnotherCourse() {
    List<String> seeded = DeterminismSim.run(3, 200, b -> b.randomSeed(1000 + b.build().id()));
    assertEquals(seeded, DeterminismSim.run(3, 200, b -> b.randomSeed(1000 + b.build().id())));
    assertNotEquals(DeterminismSim.run(3, 200, b -> b), seeded);
  }

  /**
   * Drives a StepCluster (synchronous hosts, Readies handled and messages delivered in a fixed
   * order) the same way every time: every step ticks each node, proposes on the leader every 7th
   * step, then stabilizes. The trace is each node's state after its bootstrap, then every Ready as
   * a line of text.
   */
  static final class DeterminismSim {
    static List<String> run(int size, int steps, UnaryOperator<Config.Builder> tweak) {
      StepCluster c = StepCluster.create(size, tweak);
      List<String> trace = new ArrayList<>();
      int[] step = {0};
      for (StepNode n : c.nodes().values()) {
        trace.add(
            "bootstrapped node " + n.id() + " log=" + n.log() + " hard=" + n.storage().hardState());
        n.onReady(rd -> trace.add(describe(step[0], n.id(), rd)));
      }
      for (; step[0] < steps; step[0]++) {
        c.nodes().values().forEach(n -> n.tick(1));
        if (step[0] % 7 == 6) {
          proposeOnLeader(c, "p" + step[0]);
        }
        c.stabilize();
      }
      return trace;
    }

    private static void proposeOnLeader(StepCluster c, String data) {
      for (StepNode n : c.nodes().values()) {
        if (n.role() == Role.LEADER) {
          n.raw().propose(data.getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
    }

    private static String describe(int step, long id, Ready rd) {
      List<String> committed = new ArrayList<>();
      for (Entry e : rd.committedEntries()) {
        committed.add(e.getData().toStringUtf8());
      }
      return "step "
          + step
          + " node "
          + id
          + " soft="
          + rd.softState()
          + " hard="
          + rd.hardState()
          + " entries="
          + rd.entries()
          + " committed="
          + committed
          + " messages="
          + rd.messages();
    }
  }

  @Test
  void aRestartedNodeDoesNotReapplyEntriesUpToApplied() {
    StepNode n = StepNode.of(valid().build());
    n.raw().bootstrap(List.of(Peer.of(1)));
    Ready rd = n.raw().ready();
    assertEquals(1, rd.committedEntries().size());
    n.handle(rd);
    assertEquals(1, n.appliedIndex());
    RawNode restarted = new RawNode(valid().storage(n.storage()).applied(1).build());
    Ready again = restarted.hasReady() ? restarted.ready() : null;
    assertTrue(again == null || again.committedEntries().isEmpty(), "no entry is handed out twice");
    assertEquals(1, restarted.basicStatus().applied());
  }
}

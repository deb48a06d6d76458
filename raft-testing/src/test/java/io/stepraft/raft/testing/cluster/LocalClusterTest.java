package io.stepraft.raft.testing.cluster;

import static io.stepraft.raft.testing.cluster.KvStateMachine.set;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.cluster.RequestFailedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster driver on real threads and a real clock: three nodes (some tests add a fourth) with a
 * 10 ms tick and a 200–400 ms election timeout, a toy key-value store, messages serialized. Nothing
 * sleeps: every wait is for a condition, bounded by {@link #WAIT}.
 */
@Timeout(60)
class LocalClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Map<Long, KvStateMachine> machines = new ConcurrentHashMap<>();

  /** Whether the clusters write with a storage thread per node; a subclass runs them with it. */
  boolean asyncStorageWrites() {
    return false;
  }

  private LocalCluster.Builder cluster(String name) {
    return LocalCluster.builder()
        .name(name)
        .asyncStorageWrites(asyncStorageWrites())
        .serializeMessages(true)
        .raftConfig(b -> b.electionTicks(20))
        .stateMachine(
            id -> {
              KvStateMachine m = new KvStateMachine();
              machines.put(id, m);
              return m;
            });
  }

  @Test
  void threeNodesElectALeaderAndApplyEveryProposalOnEveryNode() throws Exception {
    try (LocalCluster c = cluster("elect").start()) {
      long leader = c.awaitLeader(WAIT);
      long follower = otherThan(c, leader);
      for (int i = 0; i < 20; i++) {
        long on = i % 2 == 0 ? leader : follower;
        assertEquals("", propose(c, on, set("k" + i, "v" + i)), "no previous value of k" + i);
      }
      assertEquals("v3", propose(c, follower, set("k3", "w")), "the output comes from apply");
      String all = converge(c);
      assertTrue(all.contains("k19=v19") && all.contains("k3=w"), all);
    }
  }

  @Test
  void linearizableReadsOnLeaderAndFollowersSeeEveryWriteThatCompletedBefore() throws Exception {
    try (LocalCluster c = cluster("reads").start()) {
      c.awaitLeader(WAIT);
      long[] nodes = {1, 2, 3};
      for (int i = 1; i <= 15; i++) {
        propose(c, nodes[i % 3], set("x", Integer.toString(i)));
        for (long reader : nodes) {
          assertEquals(Integer.toString(i), get(c, reader, "x"), "read on node " + reader);
        }
      }
    }
  }

  @Test
  void anIsolatedLeaderIsReplacedItsStrandedWriteIsLostAndItConvergesAfterHealing()
      throws Exception {
    try (LocalCluster c = cluster("isolate").start()) {
      long old = c.awaitLeader(WAIT);
      propose(c, old, set("before", "1"));
      c.network().isolate(old);
      CompletableFuture<ByteString> stranded = c.propose(old, set("stranded", "1"));
      long next = c.awaitLeader(WAIT, id -> id != old);
      for (int i = 0; i < 10; i++) {
        propose(c, next, set("after" + i, Integer.toString(i)));
      }
      c.network().heal();
      RequestFailedException failure = failure(stranded);
      assertFalse(failure.mayHaveTakenEffect(), failure.toString());
      String all = converge(c);
      assertTrue(c.isRunning(old));
      assertTrue(all.contains("before=1") && all.contains("after9=9"), all);
      assertFalse(all.contains("stranded"), all);
    }
  }

  @Test
  void aRestartedNodeCatchesUpBySnapshotWhenTheLeaderCompactedWhatItLacks() throws Exception {
    try (LocalCluster c = cluster("restart").snapshotEvery(20, 5).start()) {
      long leader = c.awaitLeader(WAIT);
      long follower = otherThan(c, leader);
      for (int i = 0; i < 5; i++) {
        propose(c, leader, set("early" + i, "e"));
      }
      converge(c);
      NodeStatus beforeCrash = c.status(follower);
      c.crash(follower);
      for (int i = 0; i < 100; i++) {
        propose(c, leader, set("late" + i, "l"));
      }
      NodeStatus leaderStatus = c.status(leader);
      assertTrue(
          leaderStatus.firstIndex() > beforeCrash.lastIndex() + 1,
          "the leader compacted the entries the follower lacks: " + leaderStatus);

      c.restart(follower);
      String all = converge(c);
      assertTrue(all.contains("early4=e") && all.contains("late99=l"), all);
      assertTrue(machines.get(follower).restores.get() >= 1, "restored from a snapshot");
      assertTrue(c.status(follower).snapshotIndex() >= leaderStatus.firstIndex());
    }
  }

  @Test
  void aLearnerIsAddedCatchesUpIsPromotedAndNodesAreRemoved() throws Exception {
    try (LocalCluster c = cluster("members").start()) {
      long leader = c.awaitLeader(WAIT);
      propose(c, leader, set("founded", "yes"));
      ConfState withLearner = c.addLearner(4).get(WAIT.toMillis(), MILLISECONDS);
      assertEquals(List.of(4L), withLearner.getLearnersList());
      converge(c);
      assertEquals("yes", get(c, 4, "founded"), "the learner caught up");

      ConfState promoted = c.promote(4).get(WAIT.toMillis(), MILLISECONDS);
      assertEquals(List.of(1L, 2L, 3L, 4L), sorted(promoted.getVotersList()));
      assertEquals(List.of(), promoted.getLearnersList());

      long follower = LongStream.of(1, 2, 3).filter(id -> id != leader).findFirst().orElseThrow();
      ConfState removed = c.remove(follower).get(WAIT.toMillis(), MILLISECONDS);
      assertFalse(removed.getVotersList().contains(follower), removed.toString());
      c.crash(follower);

      // The leader removes itself: it steps down once the change applies, the others elect.
      ConfState leaderless = c.remove(leader).get(WAIT.toMillis(), MILLISECONDS);
      assertFalse(leaderless.getVotersList().contains(leader), leaderless.toString());
      long next = c.awaitLeader(WAIT, id -> id != leader);
      c.crash(leader);
      propose(c, next, set("after", "removals"));
      converge(c);
      assertEquals(2, c.status(next).raft().config().getVotersCount());
      assertEquals("removals", get(c, 4, "after"));
    }
  }

  @Test
  void leadershipMovesToTheNodeItIsTransferredTo() throws Exception {
    try (LocalCluster c = cluster("transfer").start()) {
      long leader = c.awaitLeader(WAIT);
      long target = otherThan(c, leader);
      propose(c, leader, set("a", "1"));
      c.transferLeader(target).get(WAIT.toMillis(), MILLISECONDS);
      assertEquals(target, c.awaitLeader(WAIT, id -> id == target));
      assertEquals("1", propose(c, target, set("a", "2")));
    }
  }

  @Test
  void pipelinedProposalsOnTheLeaderAndAFollowerAllComplete() throws Exception {
    try (LocalCluster c = cluster("pipeline").start()) {
      long leader = c.awaitLeader(WAIT);
      long follower = otherThan(c, leader);
      List<CompletableFuture<ByteString>> writes = new ArrayList<>();
      for (int i = 0; i < 128; i++) {
        writes.add(c.propose(leader, set("l" + i, "x")));
        writes.add(c.propose(follower, set("f" + i, "x")));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
          .get(WAIT.toMillis(), MILLISECONDS);
      for (CompletableFuture<ByteString> w : writes) {
        assertEquals("", w.get().toStringUtf8());
      }
      String all = converge(c);
      assertEquals(256, all.split(", ").length, all);
    }
  }

  @Test
  void nodesThatParkAtOnceWhenIdleServeProposalsToo() throws Exception {
    try (LocalCluster c = cluster("park").idleSpin(Duration.ZERO).start()) {
      long leader = c.awaitLeader(WAIT);
      List<CompletableFuture<ByteString>> writes = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        writes.add(c.propose(leader, set("k" + i, "v")));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
          .get(WAIT.toMillis(), MILLISECONDS);
      String all = converge(c);
      assertEquals(32, all.split(", ").length, all);
    }
  }

  @Test
  void anIdleSpinOutsideItsRangeIsRefused() {
    LocalCluster.Builder b = LocalCluster.builder();
    assertThrows(IllegalArgumentException.class, () -> b.idleSpin(Duration.ofNanos(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.idleSpin(Duration.ofSeconds(2)));
  }

  @Test
  void proposalsThatCannotCommitFailInsteadOfHanging() throws Exception {
    try (LocalCluster c = cluster("drops").requestTimeout(Duration.ofSeconds(1)).start()) {
      long leader = c.awaitLeader(WAIT);
      for (long id : c.runningNodes()) {
        if (id != leader) {
          c.crash(id);
        }
      }
      RequestFailedException toCrashed = failure(c.propose(otherThan(leader), set("a", "1")));
      assertEquals(Reason.REJECTED, toCrashed.reason(), toCrashed.toString());

      List<CompletableFuture<ByteString>> writes = new ArrayList<>();
      List<CompletableFuture<ByteString>> reads = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        writes.add(c.propose(leader, set("k" + i, "v")));
        reads.add(c.read(leader, ByteString.copyFromUtf8("k" + i)));
      }
      for (CompletableFuture<ByteString> w : writes) {
        assertTrue(
            List.of(Reason.REJECTED, Reason.TIMED_OUT).contains(failure(w).reason()),
            failure(w).toString());
      }
      for (CompletableFuture<ByteString> r : reads) {
        assertEquals(Reason.TIMED_OUT, failure(r).reason(), "a read is retried until it times out");
      }
    }
  }

  @Test
  void writesCompleteUnderMessageLossAndDelay() throws Exception {
    try (LocalCluster c = cluster("lossy").start()) {
      c.awaitLeader(WAIT);
      c.network().dropRate(0.2);
      c.network().delay(Duration.ofMillis(2));
      for (int i = 0; i < 30; i++) {
        proposeRetrying(c, set("k" + i, "v"));
      }
      assertTrue(c.network().dropped() > 0, "messages were lost");
      c.network().heal();
      String all = converge(c);
      assertEquals(30, all.split(", ").length, all);
    }
  }

  @Test
  void aFailingStateMachineStopsItsNodeAndCloseReportsIt() throws Exception {
    LocalCluster c =
        LocalCluster.builder()
            .asyncStorageWrites(asyncStorageWrites())
            .name("failing")
            .stateMachine(id -> id == 2 ? new Failing() : new KvStateMachine())
            .start();
    c.awaitLeader(WAIT);
    RequestFailedException f = failure(c.propose(2, set("a", "1")));
    for (int attempt = 0; f.reason() == Reason.REJECTED && attempt < 20; attempt++) {
      // Node 2 may not have heard from the leader yet (a majority follows it without node 2).
      c.awaitLeader(WAIT);
      f = failure(c.propose(2, set("a", "1")));
    }
    assertEquals(Reason.ABANDONED, f.reason(), f.toString());
    assertFalse(c.isRunning(2), "node 2 stopped");
    IllegalStateException e = assertThrows(IllegalStateException.class, c::close);
    assertTrue(e.getMessage().contains("node 2"), e.getMessage());
    assertInstanceOf(ArithmeticException.class, e.getCause().getCause());
  }

  @Test
  void closeStopsEveryThreadAndFailsWhatIsOpen() throws Exception {
    LocalCluster c = cluster("closing").start();
    long leader = c.awaitLeader(WAIT);
    propose(c, leader, set("a", "1"));
    c.network().isolate(leader);
    CompletableFuture<ByteString> open = c.propose(leader, set("b", "2"));
    c.status(leader); // answered in the turn of the loop that starts the proposal, or a later one
    c.close();
    assertEquals(Reason.ABANDONED, failure(open).reason());
    assertEquals(Reason.REJECTED, failure(c.propose(leader, set("c", "3"))).reason());
    List<String> alive =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("closing-"))
            .map(Thread::getName)
            .toList();
    assertEquals(List.of(), alive);
    assertTrue(c.runningNodes().isEmpty());
  }

  /** A state machine that fails on its first command. */
  private static final class Failing implements ReplicatedStateMachine {
    @Override
    public ByteString apply(long index, ByteString command) {
      throw new ArithmeticException("planted failure at index " + index);
    }

    @Override
    public ByteString snapshot() {
      return ByteString.EMPTY;
    }

    @Override
    public void restore(ByteString snapshot) {}

    @Override
    public ByteString read(ByteString query) {
      return ByteString.EMPTY;
    }
  }

  private static String propose(LocalCluster c, long node, ByteString command) throws Exception {
    return c.propose(node, command).get(WAIT.toMillis(), MILLISECONDS).toStringUtf8();
  }

  /** Proposes through the leader until the write succeeds; it is retried only if it never ran. */
  private static void proposeRetrying(LocalCluster c, ByteString command) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        c.propose(command).get(WAIT.toMillis(), MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        RequestFailedException f = assertInstanceOf(RequestFailedException.class, e.getCause());
        assertFalse(f.mayHaveTakenEffect() || attempt > 20, f.toString());
        c.awaitLeader(WAIT);
      }
    }
  }

  private static String get(LocalCluster c, long node, String key) throws Exception {
    return c.read(node, ByteString.copyFromUtf8(key))
        .get(WAIT.toMillis(), MILLISECONDS)
        .toStringUtf8();
  }

  /** Waits until every running node applied the leader's commit index, and compares them. */
  private static String converge(LocalCluster c) throws Exception {
    long leader = c.awaitLeader(WAIT);
    c.awaitApplied(c.status(leader).commitIndex(), WAIT);
    String all = get(c, leader, KvStateMachine.ALL);
    for (long id : c.runningNodes()) {
      assertEquals(all, get(c, id, KvStateMachine.ALL), "node " + id + " against the leader");
    }
    return all;
  }

  private static RequestFailedException failure(Future<ByteString> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), MILLISECONDS));
    return assertInstanceOf(RequestFailedException.class, e.getCause());
  }

  private static long otherThan(LocalCluster c, long id) {
    return c.runningNodes().stream().filter(n -> n != id).findFirst().orElseThrow();
  }

  private static long otherThan(long id) {
    return id == 1 ? 2 : 1;
  }

  private static List<Long> sorted(List<Long> ids) {
    return ids.stream().sorted().toList();
  }
}

package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * raft-testing's cluster driver over DurableStorage: nodes crash and restart from their data
 * directories (one of them after the leader compacted what it lacks) and the cluster converges.
 */
@Timeout(60)
class LocalClusterDurableTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir Path root;

  /** Appends each command to a string; a read returns the whole string. */
  static final class Journal implements ReplicatedStateMachine {
    private StringBuilder text = new StringBuilder();

    @Override
    public ByteString apply(long index, ByteString command) {
      text.append(command.toStringUtf8()).append(';');
      return ByteString.EMPTY;
    }

    @Override
    public ByteString snapshot() {
      return ByteString.copyFromUtf8(text.toString());
    }

    @Override
    public void restore(ByteString snapshot) {
      text = new StringBuilder(snapshot.toStringUtf8());
    }

    @Override
    public ByteString read(ByteString query) {
      return ByteString.copyFromUtf8(text.toString());
    }
  }

  /** Three nodes over DurableStorage (small segments, fsync on) that snapshot every few entries. */
  private LocalCluster start(String name, boolean async, long snapshotEvery) {
    StorageOptions options =
        StorageOptions.builder().segmentSizeBytes(16 << 10).syncEnabled(true).build();
    return LocalCluster.builder()
        .name(name)
        .asyncStorageWrites(async)
        .storage(DurableNodeStorage.provider(root, options))
        .stateMachine(id -> new Journal())
        .snapshotEvery(snapshotEvery, 5)
        .raftConfig(b -> b.electionTicks(20))
        .start();
  }

  @ParameterizedTest(name = "asyncStorageWrites={0}")
  @ValueSource(booleans = {false, true})
  void crashedNodesRestartFromTheirDirectoriesAndTheClusterConverges(boolean async)
      throws Exception {
    try (LocalCluster c = start("durable", async, 20)) {
      long leader = c.awaitLeader(WAIT);
      for (int i = 0; i < 10; i++) {
        c.propose(leader, ByteString.copyFromUtf8("a" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      long follower = leader == 1 ? 2 : 1;
      c.crash(follower);
      for (int i = 0; i < 60; i++) {
        c.propose(leader, ByteString.copyFromUtf8("b" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      c.restart(follower);
      c.crash(leader);
      c.restart(leader);
      long next = c.awaitLeader(WAIT);
      c.propose(next, ByteString.copyFromUtf8("c")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      c.awaitApplied(c.status(next).commitIndex(), WAIT);
      String all =
          c.read(next, ByteString.EMPTY).get(WAIT.toSeconds(), TimeUnit.SECONDS).toStringUtf8();
      assertTrue(all.startsWith("a0;") && all.contains("b59;") && all.endsWith("c;"), all);
      for (long id : c.runningNodes()) {
        assertEquals(
            all,
            c.read(id, ByteString.EMPTY).get(WAIT.toSeconds(), TimeUnit.SECONDS).toStringUtf8(),
            "node " + id);
      }
    }
  }

  /**
   * With asynchronous writes, a write is acknowledged only once a quorum made it durable: every
   * node crashes while proposals are in flight, all restart from their directories, and every
   * proposal that completed, before or during the crash, is in the state they converge to.
   */
  @Test
  void withAsyncWritesNoAcknowledgedWriteIsLostWhenEveryNodeCrashesMidFlight() throws Exception {
    try (LocalCluster c = start("durable-async", true, 25)) {
      long leader = c.awaitLeader(WAIT);
      List<CompletableFuture<ByteString>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add(c.propose(leader, ByteString.copyFromUtf8("p" + i)));
      }
      sent.get(60).handle((v, e) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      for (long id : List.of(1L, 2L, 3L)) {
        c.crash(id); // the leader first when it is node 1; writes are still in flight
      }
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        if (sent.get(i).isDone() && !sent.get(i).isCompletedExceptionally()) {
          acknowledged.add("p" + i + ";");
        }
      }
      assertTrue(acknowledged.size() > 0, "some writes were acknowledged before the crash");
      for (long id : List.of(1L, 2L, 3L)) {
        c.restart(id);
      }
      long next = c.awaitLeader(WAIT);
      c.propose(next, ByteString.copyFromUtf8("end")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      String all =
          c.read(next, ByteString.EMPTY).get(WAIT.toSeconds(), TimeUnit.SECONDS).toStringUtf8();
      for (String command : acknowledged) {
        assertTrue(all.contains(";" + command) || all.startsWith(command), command + " in " + all);
      }
      c.awaitApplied(c.status(next).commitIndex(), WAIT);
      for (long id : c.runningNodes()) {
        assertEquals(
            all,
            c.read(id, ByteString.EMPTY).get(WAIT.toSeconds(), TimeUnit.SECONDS).toStringUtf8(),
            "node " + id);
      }
    }
  }
}

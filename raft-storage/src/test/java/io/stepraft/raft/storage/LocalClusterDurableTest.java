package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void crashedNodesRestartFromTheirDirectoriesAndTheClusterConverges() throws Exception {
    StorageOptions options =
        StorageOptions.builder().segmentSizeBytes(16 << 10).syncEnabled(true).build();
    try (LocalCluster c =
        LocalCluster.builder()
            .name("durable")
            .storage(DurableNodeStorage.provider(root, options))
            .stateMachine(id -> new Journal())
            .snapshotEvery(20, 5)
            .raftConfig(b -> b.electionTicks(20))
            .start()) {
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
}

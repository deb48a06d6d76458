package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nodes stopped and restarted from their data directories: nothing acknowledged is lost. */
@Timeout(90)
class DurabilityTest {
  @TempDir Path dir;
  private TestNodes nodes;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aStoppedLeaderIsReplacedQuicklyAndRejoinsWithEveryAcknowledgedWrite() {
    nodes = new TestNodes(dir, 3, 3, 10_000, 1_000).startAll();
    long oldLeader = nodes.awaitLeader();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, nodes.client(oldLeader).put("k" + i, "v" + i).status());
    }
    long stoppedAt = System.nanoTime();
    nodes.stop(oldLeader);
    long newLeader = nodes.awaitLeader();
    Duration failover = Duration.ofNanos(System.nanoTime() - stoppedAt);
    // Election timeout: 10 ticks of 20 ms, randomized up to twice that; allow a few rounds.
    assertTrue(failover.compareTo(Duration.ofSeconds(5)) < 0, "failover took " + failover);
    assertTrue(newLeader != oldLeader);
    for (int i = 0; i < 20; i++) {
      assertEquals("v" + i, nodes.client(newLeader).get("k" + i).body(), "acknowledged k" + i);
    }
    assertEquals(200, nodes.client(newLeader).put("after", "failover").status());

    nodes.start(oldLeader, false);
    long commit = nodes.server(nodes.awaitLeader()).view().commit();
    nodes.awaitApplied(oldLeader, commit);
    assertEquals("failover", nodes.client(oldLeader).getLocal("after").body());
    assertEquals("v7", nodes.client(oldLeader).getLocal("k7").body());
  }

  @Test
  void aFollowerRestartedAfterTheLogWasCompactedCatchesUpBySnapshot() {
    nodes = new TestNodes(dir, 3, 3, 20, 5).startAll();
    long leader = nodes.awaitLeader();
    long follower = leader % 3 + 1;
    assertEquals(200, nodes.client(leader).put("early", "1").status());
    nodes.stop(follower);
    for (int i = 0; i < 120; i++) {
      assertEquals(200, nodes.client(leader).put("k" + (i % 30), "v" + i).status());
    }
    assertTrue(snapshots(leader) >= 3, "the leader took snapshots and compacted its log");

    nodes.start(follower, false);
    long commit = nodes.server(leader).view().commit();
    nodes.awaitApplied(follower, commit);
    assertEquals("1", nodes.client(follower).getLocal("early").body());
    for (int i = 90; i < 120; i++) {
      assertEquals("v" + i, nodes.client(follower).getLocal("k" + (i % 30)).body());
    }
  }

  @Test
  void aRestartedClusterResumesExactlyWhereItStopped() {
    nodes = new TestNodes(dir, 3, 3, 25, 5).startAll();
    nodes.awaitLeader();
    for (int i = 0; i < 60; i++) {
      assertEquals(200, nodes.client(1 + i % 3).put("k" + (i % 7), "v" + i).status());
    }
    assertEquals(200, nodes.client(2).cas("k0", "v56", "cas").status());
    long applied = nodes.server(nodes.awaitLeader()).view().applied();
    nodes.close();

    nodes.startAll();
    nodes.awaitLeader();
    for (long id = 1; id <= 3; id++) {
      assertTrue(nodes.server(id).view().applied() >= 0);
      nodes.awaitApplied(id, applied);
      // Entries after the snapshot are applied once more to the snapshot's state, never twice:
      // a re-applied older put would show an older value.
      assertEquals("cas", nodes.client(id).getLocal("k0").body(), "node " + id);
      assertEquals("v57", nodes.client(id).getLocal("k1").body(), "node " + id);
      assertEquals("v55", nodes.client(id).getLocal("k6").body(), "node " + id);
    }
    assertEquals(412, nodes.client(3).cas("k0", "v56", "again").status(), "the CAS is not redone");
  }

  @Test
  void aNodeRefusesAnotherNodesDataDirectoryOrOneInUse() {
    nodes = new TestNodes(dir, 3, 3, 10_000, 1_000).startAll();
    nodes.awaitLeader();
    NodeSettings two = nodes.settings(2, false);
    NodeSettings twoOnOnesData =
        new NodeSettings(
            2,
            two.peers(),
            new java.net.InetSocketAddress("127.0.0.1", TestNodes.freePort()),
            nodes.settings(1, false).dataDir(),
            false,
            two.tickMs(),
            two.electionTicks(),
            two.heartbeatTicks(),
            two.snapshotEntries(),
            two.catchUpEntries(),
            two.maxKeyBytes(),
            two.maxValueBytes(),
            two.requestTimeoutMs(),
            two.maxFrameBytes(),
            false,
            0,
            null,
            null,
            null);
    RuntimeException inUse =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class, () -> KvServer.start(twoOnOnesData, e -> {}));
    assertTrue(inUse.getMessage().contains(dir.resolve("node1").toString()), inUse.getMessage());
    nodes.stop(1);
    RuntimeException foreign =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class, () -> KvServer.start(twoOnOnesData, e -> {}));
    assertTrue(foreign.getMessage().contains("metadata"), foreign.getMessage());
    nodes.start(1, false);
    nodes.awaitLeader();
    assertEquals(200, nodes.client(2).put("still", "fine").status());
  }

  @Test
  void aStorageFailureStopsTheNodeAndItsClientsAreToldSo() throws Exception {
    nodes = new TestNodes(dir, 3, 3, 10_000, 1_000).startAll();
    long leader = nodes.awaitLeader();
    long follower = leader % 3 + 1;
    KvServer failing = nodes.server(follower);
    java.util.concurrent.CompletableFuture<Throwable> failure =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return failing.awaitFailure();
              } catch (InterruptedException e) {
                return e;
              }
            });
    failing.storage().close(); // every later call throws, as after a failed write or fsync
    assertEquals(200, nodes.client(leader).put("k", "v").status(), "the others go on");
    Throwable cause = failure.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(cause != null, "the node stopped by itself");
    KvClient c = nodes.client(follower);
    assertEquals(503, c.call("GET", "/health", null).status());
    KvClient.Reply r = c.put("k", "w");
    assertEquals(503, r.status(), r.body());
    assertTrue(r.notApplied(), "refused before anything was proposed");
  }

  private double snapshots(long id) {
    String metrics = nodes.client(id).call("GET", "/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^stepraft_snapshots_total ([0-9.]+)").matcher(metrics);
    assertTrue(m.find(), metrics);
    return Double.parseDouble(m.group(1));
  }
}

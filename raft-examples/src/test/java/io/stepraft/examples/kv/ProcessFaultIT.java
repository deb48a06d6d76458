package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stepraft.raft.testing.lincheck.Budget;
import io.stepraft.raft.testing.lincheck.CheckResult;
import io.stepraft.raft.testing.lincheck.History;
import io.stepraft.raft.testing.lincheck.HistoryRecorder;
import io.stepraft.raft.testing.lincheck.KvModel;
import io.stepraft.raft.testing.lincheck.LinearizabilityChecker;
import io.stepraft.raft.testing.lincheck.Reply;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box fault test: three {@code stepraft-kv.jar} processes, clients writing, reading and
 * compare-and-setting through random nodes while a nemesis kills nodes with SIGKILL (the leader
 * half the time) and restarts them, pauses them with SIGSTOP, and transfers leadership. The client
 * history is checked for linearizability by raft-testing's checker.
 *
 * <p>{@code -Dkv.faultSeconds=N} sets the length of the fault phase (40 s in {@code mvn verify});
 * {@code -Dkv.faultSeed=S} the nemesis' and clients' seed.
 */
@Timeout(600)
class ProcessFaultIT {
  private static final int CLIENTS = 4;
  private static final String[] KEYS = {"a", "b", "c", "d", "e", "f"};
  private static final int TICK_MS = 50;

  @TempDir Path dir;
  private final java.util.concurrent.atomic.AtomicReference<Throwable> clientFailure =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final List<KvProcess> procs = new ArrayList<>();
  private final List<InetSocketAddress> https = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (KvProcess p : procs) {
      p.kill();
    }
  }

  @Test
  void historyUnderKillsPausesAndTransfersIsLinearizable() throws Exception {
    Path jar = Path.of(System.getProperty("kv.jar", "target/stepraft-kv.jar"));
    assumeTrue(Files.isRegularFile(jar), "needs the packaged jar: run mvn verify");
    int faultSeconds = Integer.getInteger("kv.faultSeconds", 40);
    long seed = Long.getLong("kv.faultSeed", System.nanoTime());
    System.out.println("ProcessFaultIT: seed " + seed + ", " + faultSeconds + " s of faults");

    startCluster(jar);
    awaitLeader(Duration.ofSeconds(30));

    HistoryRecorder<KvModel.Input<String, String>, Reply<String>> recorder =
        new HistoryRecorder<>(System::nanoTime);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger okWrites = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int clientId = c;
      Random rnd = new Random(seed + c);
      Thread t =
          new Thread(
              () -> {
                try {
                  runClient(clientId, rnd, recorder, stop, okWrites);
                } catch (RuntimeException | Error e) {
                  clientFailure.compareAndSet(null, e);
                }
              },
              "client-" + clientId);
      t.start();
      clients.add(t);
    }
    Nemesis nemesis = new Nemesis(new Random(seed), procs, this);
    long end = System.nanoTime() + Duration.ofSeconds(faultSeconds).toNanos();
    while (System.nanoTime() < end) {
      nemesis.step();
    }
    nemesis.heal();
    awaitLeader(Duration.ofSeconds(30));
    Thread.sleep(2000); // clients run on a healed cluster for a moment
    stop.set(true);
    for (Thread t : clients) {
      t.join(30_000);
    }
    // Final linearizable reads of every key through every node.
    for (int n = 0; n < procs.size(); n++) {
      KvClient client = new KvClient(https.get(n), Duration.ofSeconds(5));
      for (String k : KEYS) {
        read(CLIENTS + n, client, k, recorder);
      }
    }
    if (clientFailure.get() != null) {
      throw new AssertionError("a client thread failed", clientFailure.get());
    }
    History<KvModel.Input<String, String>, Reply<String>> history = recorder.history();
    long unknown = history.operations().stream().filter(o -> o.output() == null).count();
    System.out.println(
        "ProcessFaultIT: "
            + history.operations().size()
            + " operations, "
            + okWrites.get()
            + " acknowledged writes, "
            + unknown
            + " with unknown outcome; faults: "
            + nemesis.summary());
    CheckResult<KvModel.Input<String, String>, Reply<String>> result =
        LinearizabilityChecker.check(
            KvModel.empty(), history, Budget.steps(50_000_000).andTime(Duration.ofSeconds(60)));
    if (!result.isLinearizable()) {
      for (KvProcess p : procs) {
        System.out.println("---- node " + p.id() + " ----\n" + p.tail(60));
      }
    }
    result.assertLinearizable();
    assertTrue(okWrites.get() >= 20, "the cluster made progress: " + okWrites.get() + " writes");
    assertConverged(Duration.ofSeconds(20));
    for (KvProcess p : procs) {
      int code = p.stop();
      assertTrue(code != -1, "node " + p.id() + " stopped on SIGTERM\n" + p.tail(30));
    }
  }

  /**
   * Every node's own copy (a serializable read) of every key is the same, once the nodes caught up:
   * the nodes converged to one map. Waits for that up to {@code timeout}, then fails with the
   * copies that differ.
   */
  private void assertConverged(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> copies = List.of();
    while (System.nanoTime() < deadline) {
      copies = new ArrayList<>();
      for (InetSocketAddress http : https) {
        KvClient client = new KvClient(http, Duration.ofSeconds(5));
        StringBuilder map = new StringBuilder();
        for (String k : KEYS) {
          KvClient.Reply r = client.getLocal(k);
          map.append(k)
              .append('=')
              .append(r.status() == 200 ? r.body() : "-" + r.status())
              .append(' ');
        }
        copies.add(map.toString());
      }
      if (copies.stream().distinct().count() == 1) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the nodes' maps differ after " + timeout + ": " + copies);
  }

  private void startCluster(Path jar) {
    StringBuilder peers = new StringBuilder();
    for (int id = 1; id <= 3; id++) {
      peers
          .append(id == 1 ? "" : ",")
          .append(id)
          .append("=127.0.0.1:")
          .append(TestNodes.freePort());
      https.add(new InetSocketAddress("127.0.0.1", TestNodes.freePort()));
    }
    for (int id = 1; id <= 3; id++) {
      InetSocketAddress h = https.get(id - 1);
      KvProcess p =
          new KvProcess(
              id,
              jar,
              peers.toString(),
              "127.0.0.1:" + h.getPort(),
              dir.resolve("node" + id),
              dir.resolve("node" + id + ".log"),
              TICK_MS);
      p.start();
      procs.add(p);
    }
  }

  private static void runClient(
      int clientId,
      Random rnd,
      HistoryRecorder<KvModel.Input<String, String>, Reply<String>> recorder,
      AtomicBoolean stop,
      AtomicInteger okWrites) {
    int seq = 0;
    while (!stop.get()) {
      KvClient client = clientFor(rnd);
      String key = KEYS[rnd.nextInt(KEYS.length)];
      String value = clientId + "-" + seq++;
      int op = rnd.nextInt(10);
      if (op < 4) {
        read(clientId, client, key, recorder);
      } else if (op < 7) {
        var call = recorder.invoke(clientId, KvModel.put(key, value));
        KvClient.Reply r = client.put(key, value);
        if (r.status() == 200) {
          call.ok(Reply.ok());
          okWrites.incrementAndGet();
        } else if (r.notApplied()) {
          call.fail(); // refused before it was proposed, or never sent
        } else {
          call.timeout(); // timed out or no answer: it may still take effect
        }
      } else if (op < 9) {
        String expected;
        synchronized (lastSeen) {
          expected = lastSeen[rnd.nextInt(lastSeen.length)];
        }
        var call = recorder.invoke(clientId, KvModel.cas(key, expected, value));
        KvClient.Reply r = client.cas(key, expected, value);
        if (r.status() == 200) {
          call.ok(Reply.ok());
          okWrites.incrementAndGet();
        } else if (r.status() == 412) {
          call.ok(Reply.failed());
        } else if (r.notApplied()) {
          call.fail();
        } else {
          call.timeout();
        }
      } else {
        var call = recorder.invoke(clientId, KvModel.delete(key));
        KvClient.Reply r = client.delete(key);
        if (r.status() == 200 || r.status() == 404) {
          call.ok(Reply.ok());
        } else if (r.notApplied()) {
          call.fail();
        } else {
          call.timeout();
        }
      }
    }
  }

  /** Values a CAS may expect: recent reads, so that some succeed. */
  private static final String[] lastSeen = {"-", "-", "-", "-", "-", "-", "-", "-"};

  private static final AtomicInteger lastSeenNext = new AtomicInteger();

  private static void read(
      int clientId,
      KvClient client,
      String key,
      HistoryRecorder<KvModel.Input<String, String>, Reply<String>> recorder) {
    var call = recorder.invoke(clientId, KvModel.get(key));
    KvClient.Reply r = client.get(key);
    if (r.status() == 200) {
      call.ok(Reply.found(r.body()));
      synchronized (lastSeen) {
        lastSeen[Math.floorMod(lastSeenNext.getAndIncrement(), lastSeen.length)] = r.body();
      }
    } else if (r.status() == 404) {
      call.ok(Reply.absent());
    } else {
      call.fail(); // a read that got no answer changed nothing
    }
  }

  private static volatile List<KvClient> clientPool = List.of();

  private static KvClient clientFor(Random rnd) {
    List<KvClient> pool = clientPool;
    return pool.get(rnd.nextInt(pool.size()));
  }

  /** The leader's index in {@link #procs}, or -1. */
  int leaderIndex() {
    Pattern p = Pattern.compile("\"leader\":(\\d+)");
    for (int n = 0; n < procs.size(); n++) {
      if (!procs.get(n).alive() || procs.get(n).paused()) {
        continue;
      }
      KvClient.Reply r =
          new KvClient(https.get(n), Duration.ofSeconds(1)).call("GET", "/health", null);
      Matcher m = p.matcher(r.body());
      if (r.status() == 200 && m.find()) {
        return Integer.parseInt(m.group(1)) - 1;
      }
    }
    return -1;
  }

  KvClient.Reply transfer(int from, long to) {
    return new KvClient(https.get(from), Duration.ofSeconds(3))
        .call("POST", "/cluster/leader", "{\"id\":" + to + "}");
  }

  private void awaitLeader(Duration max) {
    List<KvClient> pool = new ArrayList<>();
    for (InetSocketAddress h : https) {
      pool.add(new KvClient(h, Duration.ofSeconds(3)));
    }
    clientPool = pool;
    TestNodes.await("a leader", max, () -> leaderIndex() >= 0);
  }

  /** The faults: one at a time, each followed by a pause. */
  private static final class Nemesis {
    private final Random rnd;
    private final List<KvProcess> procs;
    private final ProcessFaultIT test;
    private int kills;
    private int leaderKills;
    private int pauses;
    private int transfers;

    Nemesis(Random rnd, List<KvProcess> procs, ProcessFaultIT test) {
      this.rnd = rnd;
      this.procs = procs;
      this.test = test;
    }

    void step() throws InterruptedException {
      int leader = test.leaderIndex();
      int victim = leader >= 0 && rnd.nextBoolean() ? leader : rnd.nextInt(procs.size());
      KvProcess p = procs.get(victim);
      switch (rnd.nextInt(3)) {
        case 0 -> {
          p.kill();
          kills++;
          leaderKills += victim == leader ? 1 : 0;
          Thread.sleep(500 + rnd.nextInt(2000));
          p.start();
        }
        case 1 -> {
          if (p.pause()) {
            pauses++;
            Thread.sleep(300 + rnd.nextInt(2000));
            p.resume();
          }
        }
        default -> {
          if (leader >= 0) {
            long target = (leader + 1 + rnd.nextInt(procs.size() - 1)) % procs.size() + 1;
            test.transfer(rnd.nextInt(procs.size()), target);
            transfers++;
          }
        }
      }
      Thread.sleep(500 + rnd.nextInt(1500));
    }

    void heal() {
      for (KvProcess p : procs) {
        p.resume();
        if (!p.alive()) {
          p.start();
        }
      }
    }

    String summary() {
      return kills
          + " kills ("
          + leaderKills
          + " of the leader), "
          + pauses
          + " pauses, "
          + transfers
          + " transfer requests";
    }
  }
}

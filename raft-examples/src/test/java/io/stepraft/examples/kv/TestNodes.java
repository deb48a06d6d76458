package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Nodes of one cluster in this JVM, on free local ports, each with its data directory under one
 * folder. Ports are chosen up front for {@code capacity} ids, so a node can be added later.
 */
final class TestNodes implements AutoCloseable {
  static final int TICK_MS = 20;
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final int founders;
  private final Map<Long, InetSocketAddress> peerPorts = new TreeMap<>();
  private final Map<Long, InetSocketAddress> httpPorts = new TreeMap<>();
  private final Map<Long, KvServer> running = new HashMap<>();
  private final long snapshotEntries;
  private final long catchUpEntries;
  long quotaBytes;
  BackupFile restore;
  TlsSettings peerTls;
  TlsSettings clientTls;

  TestNodes(Path dir, int founders, int capacity, long snapshotEntries, long catchUpEntries) {
    this.dir = dir;
    this.founders = founders;
    this.snapshotEntries = snapshotEntries;
    this.catchUpEntries = catchUpEntries;
    for (long id = 1; id <= capacity; id++) {
      peerPorts.put(id, new InetSocketAddress("127.0.0.1", freePort()));
      httpPorts.put(id, new InetSocketAddress("127.0.0.1", freePort()));
    }
  }

  /** Starts the founding members 1..founders. */
  TestNodes startAll() {
    for (long id = 1; id <= founders; id++) {
      start(id, false);
    }
    return this;
  }

  NodeSettings settings(long id, boolean join) {
    Map<Long, InetSocketAddress> peers = new TreeMap<>();
    for (long p = 1; p <= founders; p++) {
      peers.put(p, peerPorts.get(p));
    }
    peers.put(id, peerPorts.get(id));
    return new NodeSettings(
        id,
        peers,
        httpPorts.get(id),
        dir.resolve("node" + id),
        join,
        TICK_MS,
        10,
        1,
        snapshotEntries,
        catchUpEntries,
        256,
        64 * 1024,
        3000,
        8 << 20,
        false,
        quotaBytes,
        restore,
        peerTls,
        clientTls);
  }

  KvServer start(long id, boolean join) {
    try {
      KvServer s = KvServer.start(settings(id, join), e -> {});
      running.put(id, s);
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void stop(long id) {
    KvServer s = running.remove(id);
    if (s != null) {
      s.close();
    }
  }

  String peerAddress(long id) {
    return Addresses.format(peerPorts.get(id));
  }

  InetSocketAddress peerSocket(long id) {
    return peerPorts.get(id);
  }

  InetSocketAddress httpSocket(long id) {
    return httpPorts.get(id);
  }

  KvClient client(long id) {
    return new KvClient(httpPorts.get(id), CALL_TIMEOUT);
  }

  KvServer server(long id) {
    return running.get(id);
  }

  /** Waits until every running node knows the same leader, and returns it. */
  long awaitLeader() {
    long[] leader = new long[1];
    await(
        "a leader known to every running node",
        Duration.ofSeconds(20),
        () -> {
          long lead = 0;
          for (KvServer s : running.values()) {
            long l = s.view().lead();
            if (l == 0 || (lead != 0 && l != lead) || !running.containsKey(l)) {
              return false;
            }
            lead = l;
          }
          leader[0] = lead;
          return lead != 0 && running.get(lead).view().role() == io.stepraft.raft.Role.LEADER;
        });
    return leader[0];
  }

  /** Waits until {@code id} has applied at least {@code index}. */
  void awaitApplied(long id, long index) {
    await(
        "node " + id + " applied " + index,
        Duration.ofSeconds(20),
        () -> running.get(id).view().applied() >= index);
  }

  /** Polls {@code condition} every few milliseconds until it holds; fails after {@code max}. */
  static void await(String what, Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + max + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  /**
   * A port free right now, below Linux's ephemeral range (32768 and up): ports picked by the kernel
   * for outgoing connections (many, in these tests) never take it between this check and the node's
   * bind.
   */
  static int freePort() {
    java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 20_000 + rnd.nextInt(12_000);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new UncheckedIOException(new IOException("no free port in [20000, 32000)"));
  }

  @Override
  public void close() {
    for (Long id : running.keySet().toArray(new Long[0])) {
      stop(id);
    }
  }
}

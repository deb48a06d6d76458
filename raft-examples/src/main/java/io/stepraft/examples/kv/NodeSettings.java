package io.stepraft.examples.kv;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything one node needs to start, validated by {@link Main} (or built directly by tests).
 *
 * @param id this node's id, never 0
 * @param peers every member this node should know at start, itself included: id to peer address
 * @param httpAddress where the HTTP API listens
 * @param dataDir where the storage lives
 * @param join whether this node joins a running cluster (never bootstraps)
 * @param tickMs one raft tick in milliseconds
 * @param electionTicks election timeout in ticks
 * @param heartbeatTicks heartbeat interval in ticks
 * @param snapshotEntries entries applied between two snapshots
 * @param catchUpEntries entries kept in the log below a snapshot, for slow followers
 * @param maxKeyBytes largest key accepted
 * @param maxValueBytes largest value accepted
 * @param requestTimeoutMs how long a client request may wait for raft
 * @param maxFrameBytes largest peer message accepted or sent (snapshots included)
 * @param syncEnabled whether the storage fsyncs (off only in tests that measure nothing durable)
 * @param quotaBytes keys and values held past which writes are refused (507), or 0 for none
 * @param restore a backup the founding members start from, or null
 * @param peerTls mutual TLS between peers, or null for plain TCP
 * @param clientTls TLS on the HTTP port (mutual with a CA), or null for plain HTTP
 */
record NodeSettings(
    long id,
    Map<Long, InetSocketAddress> peers,
    InetSocketAddress httpAddress,
    Path dataDir,
    boolean join,
    int tickMs,
    int electionTicks,
    int heartbeatTicks,
    long snapshotEntries,
    long catchUpEntries,
    int maxKeyBytes,
    int maxValueBytes,
    int requestTimeoutMs,
    int maxFrameBytes,
    boolean syncEnabled,
    long quotaBytes,
    BackupFile restore,
    TlsSettings peerTls,
    TlsSettings clientTls) {

  /** Client requests waiting for raft at once, per node; more get 503. */
  static final int PENDING_REQUESTS_MAX = 4096;

  NodeSettings {
    peers = Map.copyOf(peers);
    if (id <= 0) {
      throw new IllegalArgumentException("--id must be a positive integer, was " + id);
    }
    if (!peers.containsKey(id)) {
      throw new IllegalArgumentException("--peers must include this node's id " + id);
    }
    require(tickMs >= 1 && tickMs <= 60_000, "--tick-ms must be in [1, 60000], was " + tickMs);
    require(heartbeatTicks >= 1, "--heartbeat-ticks must be at least 1, was " + heartbeatTicks);
    require(
        electionTicks > heartbeatTicks,
        "--election-ticks ("
            + electionTicks
            + ") must be greater than --heartbeat-ticks ("
            + heartbeatTicks
            + ")");
    require(snapshotEntries >= 1, "--snapshot-entries must be at least 1, was " + snapshotEntries);
    require(catchUpEntries >= 0, "--catch-up-entries must be >= 0, was " + catchUpEntries);
    require(
        maxKeyBytes >= 1 && maxKeyBytes <= 64 * 1024,
        "--max-key-bytes must be in [1, 65536], was " + maxKeyBytes);
    require(
        maxValueBytes >= 0 && maxValueBytes <= 16 * 1024 * 1024,
        "--max-value-bytes must be in [0, 16777216], was " + maxValueBytes);
    require(
        requestTimeoutMs >= 10 && requestTimeoutMs <= 600_000,
        "--request-timeout-ms must be in [10, 600000], was " + requestTimeoutMs);
    require(quotaBytes >= 0, "--quota-bytes must be >= 0 (0: no quota), was " + quotaBytes);
    require(
        restore == null || !join, "--restore starts a new cluster; it cannot be used with --join");
    require(maxFrameBytes >= 1024, "--max-frame-bytes must be at least 1024, was " + maxFrameBytes);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** This node's own peer address. */
  InetSocketAddress peerAddress() {
    return peers.get(id);
  }

  /** Request timeout in ticks, at least one. */
  long requestTimeoutTicks() {
    return Math.max(1, (requestTimeoutMs + tickMs - 1) / tickMs);
  }
}

package io.stepraft.examples.kv;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stepraft.raft.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes may share a JVM in tests),
 * written in the Prometheus text format by {@code GET /metrics}.
 */
final class NodeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Gauge role =
      Gauge.builder()
          .name("stepraft_role")
          .help("Role: 0 follower, 1 pre-candidate, 2 candidate, 3 leader")
          .register(registry);
  private final Gauge isLeader =
      Gauge.builder().name("stepraft_is_leader").help("1 on the leader").register(registry);
  private final Gauge term =
      Gauge.builder().name("stepraft_term").help("Current term").register(registry);
  private final Gauge commit =
      Gauge.builder().name("stepraft_commit_index").help("Commit index").register(registry);
  private final Gauge applied =
      Gauge.builder().name("stepraft_applied_index").help("Applied index").register(registry);
  private final Counter committed =
      Counter.builder()
          .name("stepraft_proposals_committed_total")
          .help("Writes committed and applied on this node")
          .register(registry);
  private final Counter failed =
      Counter.builder()
          .name("stepraft_proposals_failed_total")
          .help("Client requests answered with an error (dropped, timed out, refused)")
          .register(registry);
  private final Histogram save =
      Histogram.builder()
          .name("stepraft_wal_save_seconds")
          .help("Time to save a Ready to storage (write, and fsync when required)")
          .classicOnly()
          .classicUpperBounds(
              0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
          .register(registry);
  private final Counter snapshots =
      Counter.builder()
          .name("stepraft_snapshots_total")
          .help("Snapshots taken by this node")
          .register(registry);
  private final Counter sendFailures =
      Counter.builder()
          .name("stepraft_peer_send_failures_total")
          .help("Messages to peers that could not be queued or delivered")
          .register(registry);
  private final Counter inboundDropped =
      Counter.builder()
          .name("stepraft_peer_inbound_dropped_total")
          .help("Messages from peers dropped because the raft thread's inbox was full")
          .register(registry);

  void update(NodeView v) {
    role.set(roleNumber(v.role()));
    isLeader.set(v.role() == Role.LEADER ? 1 : 0);
    term.set(v.term());
    commit.set(v.commit());
    applied.set(v.applied());
  }

  private static int roleNumber(Role r) {
    return switch (r) {
      case FOLLOWER -> 0;
      case PRE_CANDIDATE -> 1;
      case CANDIDATE -> 2;
      case LEADER -> 3;
    };
  }

  void saveSeconds(double seconds) {
    save.observe(seconds);
  }

  void proposalCommitted() {
    committed.inc();
  }

  void requestFailed() {
    failed.inc();
  }

  void snapshotTaken() {
    snapshots.inc();
  }

  void peerSendFailure() {
    sendFailures.inc();
  }

  void inboundDropped() {
    inboundDropped.inc();
  }

  String contentType() {
    return writer.getContentType();
  }

  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

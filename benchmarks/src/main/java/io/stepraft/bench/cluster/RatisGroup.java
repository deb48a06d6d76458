package io.stepraft.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.MiniRaftClusterWithGrpc;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.impl.MiniRaftCluster;
import org.apache.ratis.server.simulation.MiniRaftClusterWithSimulatedRpc;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Apache Ratis's group: its test cluster, {@code MiniRaftCluster}, from its tests jars, with either
 * the simulated RPC (in-memory queues, simulated latency 0) or gRPC on loopback; one async {@link
 * RaftClient} to the leader, allowed 256 outstanding requests (the default, 100, would cap the
 * pipeline). The simulated RPC serves only blocking client calls, so with it each outstanding
 * request has a client thread of its own. In memory: Ratis's memory log ({@code
 * raft.server.log.use.memory}). Durable: its segmented log with the default flush policy (the log
 * worker fsyncs a batch before the append is acknowledged; unsafe flush off). Everything else at
 * its defaults (appender batches up to 4 MiB).
 */
final class RatisGroup implements RaftGroup {
  private static final String LATENCY_KEY =
      "org.apache.ratis.server.simulation.SimulatedRequestReply.simulateLatencyMs";

  private final MiniRaftCluster cluster;
  private final RaftClient client;
  private final ExecutorService blockingClients;
  private final TempDir dir;

  private RatisGroup(
      MiniRaftCluster cluster, RaftClient client, ExecutorService blockingClients, TempDir dir) {
    this.cluster = cluster;
    this.client = client;
    this.blockingClients = blockingClients;
    this.dir = dir;
  }

  static RatisGroup start(Durability durability, boolean grpc) throws Exception {
    TempDir dir = new TempDir("ratis-bench");
    // MiniRaftCluster puts the nodes' storage under this directory.
    System.setProperty("test.build.data", dir.path.toString());
    RaftProperties props = new RaftProperties();
    props.setInt(LATENCY_KEY, 0);
    RaftServerConfigKeys.Log.setUseMemory(props, durability == Durability.MEMORY);
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(props, 2 * Workload.WINDOW);
    MiniRaftCluster cluster =
        grpc
            ? MiniRaftClusterWithGrpc.FACTORY.newCluster(3, props)
            : MiniRaftClusterWithSimulatedRpc.FACTORY.newCluster(3, props);
    cluster.setStateMachineRegistry(group -> new Counter());
    try {
      cluster.start();
      RaftServer.Division leader =
          Await.value(
              "Ratis leader ready",
              () -> {
                RaftServer.Division l = cluster.getLeader();
                return l != null && l.getInfo().isLeaderReady() ? l : null;
              });
      RaftClient client = cluster.createClient(leader.getId());
      checked(client.io().send(Message.valueOf("first")));
      return new RatisGroup(cluster, client, grpc ? null : simulatedClients(), dir);
    } catch (Exception e) {
      cluster.shutdown();
      dir.close();
      throw e;
    }
  }

  /**
   * The simulated RPC has no asynchronous client calls: requests are sent with the blocking API,
   * from a pool of one thread per outstanding request.
   */
  private static ExecutorService simulatedClients() {
    return Executors.newFixedThreadPool(
        Workload.WINDOW,
        r -> {
          Thread t = new Thread(r, "ratis-bench-client");
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public CompletableFuture<?> propose(byte[] command) {
    Message m = Message.valueOf(ByteString.copyFrom(command));
    if (blockingClients == null) {
      return client.async().send(m).thenApply(RatisGroup::checked);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return checked(client.io().send(m));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        blockingClients);
  }

  private static RaftClientReply checked(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new IllegalStateException("Ratis failed a request: " + reply.getException());
    }
    return reply;
  }

  @Override
  public void close() throws Exception {
    try {
      if (blockingClients != null) {
        blockingClients.shutdownNow();
      }
      client.close();
      cluster.shutdown();
    } finally {
      dir.close();
    }
  }

  /** Counts the transactions applied. */
  private static final class Counter extends BaseStateMachine {
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      var entry = trx.getLogEntry();
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
  }
}

package io.stepraft.bench.cluster;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SOFAJRaft's group: three real nodes ({@link RaftGroupService}, bolt RPC on loopback ports) in
 * this JVM. SOFAJRaft publishes no test cluster, so this is how its users run it, less the
 * machines. Configured as its user guide describes, at its defaults where they are what the other
 * libraries run with: replication pipelined (up to 256 append requests in flight a follower),
 * batched (up to 128 tasks a log append, as many as the workload keeps outstanding; 1,024 entries
 * or 512 KiB an append request), a 1 s election timeout. Snapshots are rare: at most once a second,
 * and only when 50,000 entries have been applied since the last one (MicroRaft takes one every
 * 50,000 entries). Durable: SOFAJRaft's RocksDB log and its file of term and vote, with {@code
 * sync} on (RocksDB writes the log with its sync option: fsync'd before the append is
 * acknowledged). In memory: the log and the term and vote in memory ({@link MemoryServiceFactory});
 * the snapshots still go to files, without fsync.
 */
final class SofaJRaftGroup implements RaftGroup {
  private static final String GROUP_ID = "bench";
  private static final int NODES = 3;
  private static final int ELECTION_TIMEOUT_MS = 1000;
  private static final int SNAPSHOT_INTERVAL_SECONDS = 1;
  private static final int SNAPSHOT_ENTRIES_MIN = 50_000;

  private final List<RaftGroupService> services;
  private final Node leader;
  private final TempDir dir;

  private SofaJRaftGroup(List<RaftGroupService> services, Node leader, TempDir dir) {
    this.services = services;
    this.leader = leader;
    this.dir = dir;
  }

  static SofaJRaftGroup start(Durability durability) throws Exception {
    TempDir dir = new TempDir("sofajraft-bench");
    List<RaftGroupService> services = new ArrayList<>();
    try {
      List<PeerId> peers = loopbackPeers();
      for (int i = 0; i < NODES; i++) {
        Path home = Files.createDirectories(dir.path.resolve("node-" + (i + 1)));
        NodeOptions options = options(durability, home, new Configuration(peers));
        RaftGroupService service = new RaftGroupService(GROUP_ID, peers.get(i), options);
        services.add(service);
        service.start();
      }
      Node leader =
          Await.value(
              "SOFAJRaft leader",
              () ->
                  services.stream()
                      .map(RaftGroupService::getRaftNode)
                      .filter(Node::isLeader)
                      .findFirst()
                      .orElse(null));
      return new SofaJRaftGroup(services, leader, dir);
    } catch (Exception e) {
      stop(services, dir);
      throw e;
    }
  }

  private static NodeOptions options(Durability durability, Path home, Configuration peers) {
    RaftOptions raft = new RaftOptions();
    raft.setReplicatorPipeline(true);
    raft.setMaxReplicatorInflightMsgs(256);
    // The user guide: raise the batch sizes for high throughput. A batch can take the workload's
    // whole window (the default, 32, measured 10-20% fewer requests a second, in the noise).
    raft.setApplyBatch(Workload.WINDOW);
    raft.setMaxEntriesSize(1024);
    raft.setMaxBodySize(512 * 1024);
    // Durable: RocksDB's writes sync'd. In memory there is no log file; off, so that the
    // snapshots' files are not fsync'd either.
    raft.setSync(durability == Durability.DURABLE);
    NodeOptions options = new NodeOptions();
    options.setRaftOptions(raft);
    options.setElectionTimeoutMs(ELECTION_TIMEOUT_MS);
    options.setInitialConf(peers);
    options.setFsm(new Counter());
    options.setSnapshotUri(home.resolve("snapshot").toString());
    options.setSnapshotIntervalSecs(SNAPSHOT_INTERVAL_SECONDS);
    options.setSnapshotLogIndexMargin(SNAPSHOT_ENTRIES_MIN);
    if (durability == Durability.DURABLE) {
      options.setLogUri(home.resolve("log").toString());
      options.setRaftMetaUri(home.resolve("meta").toString());
    } else {
      options.setServiceFactory(new MemoryServiceFactory());
      options.setLogUri("memory"); // SOFAJRaft wants URIs; MemoryServiceFactory ignores them
      options.setRaftMetaUri("memory");
    }
    return options;
  }

  /** Three loopback addresses on ports the system has just handed out as free. */
  private static List<PeerId> loopbackPeers() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<PeerId> peers = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        ServerSocket socket = new ServerSocket(0, 1, loopback);
        sockets.add(socket);
        peers.add(new PeerId(loopback.getHostAddress(), socket.getLocalPort()));
      }
      return peers;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** Applies {@code command} on the leader; done when it is committed and applied there. */
  @Override
  public CompletableFuture<?> propose(byte[] command) {
    CompletableFuture<Void> applied = new CompletableFuture<>();
    Closure done =
        status -> {
          if (status.isOk()) {
            applied.complete(null);
          } else {
            applied.completeExceptionally(new IllegalStateException("SOFAJRaft: " + status));
          }
        };
    leader.apply(new Task(ByteBuffer.wrap(command.clone()), done));
    return applied;
  }

  @Override
  public void close() throws Exception {
    stop(services, dir);
  }

  /** Stops every node before any RPC server, so that no node spends its end calling the others. */
  private static void stop(List<RaftGroupService> services, TempDir dir) throws Exception {
    try {
      for (RaftGroupService s : services) {
        if (s.getRaftNode() != null) {
          s.getRaftNode().shutdown();
        }
      }
      for (RaftGroupService s : services) {
        s.shutdown();
      }
      for (RaftGroupService s : services) {
        s.join();
      }
    } finally {
      dir.close();
    }
  }

  /**
   * Counts the commands applied and completes each on the leader; a snapshot is the count, in one
   * file. SOFAJRaft calls it from one thread.
   */
  private static final class Counter extends StateMachineAdapter {
    private static final String SNAPSHOT_FILE = "count";

    private long applied;

    @Override
    public void onApply(Iterator it) {
      while (it.hasNext()) {
        applied++;
        Closure done = it.done(); // null on followers
        if (done != null) {
          done.run(Status.OK());
        }
        it.next();
      }
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
      try {
        Files.write(
            Path.of(writer.getPath(), SNAPSHOT_FILE),
            ByteBuffer.allocate(Long.BYTES).putLong(0, applied).array());
        done.run(
            writer.addFile(SNAPSHOT_FILE)
                ? Status.OK()
                : new Status(RaftError.EIO, "snapshot file not added"));
      } catch (IOException e) {
        done.run(new Status(RaftError.EIO, "snapshot not written: %s", e));
      }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
      try {
        applied =
            ByteBuffer.wrap(Files.readAllBytes(Path.of(reader.getPath(), SNAPSHOT_FILE))).getLong();
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}

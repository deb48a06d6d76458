package io.stepraft.bench.cluster;

import io.microraft.RaftConfig;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.impl.local.LocalRaftEndpoint;
import io.microraft.impl.local.LocalTransport;
import io.microraft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * MicroRaft's group: three {@link RaftNode}s (a thread each, its default executor) joined by
 * MicroRaft's own in-memory {@code LocalTransport} from its tests jar, which hands message objects
 * over without serializing them. Default {@link RaftConfig} (append batches of 1,000 entries, 5,000
 * pending entries, a snapshot every 50,000). MicroRaft keeps its log in memory; durable, it
 * persists each entry through a RaftStore that flushes before acknowledging ({@link
 * MicroRaftSqlite}); in memory, no store.
 */
final class MicroRaftGroup implements RaftGroup {
  private final List<RaftNode> nodes;
  private final RaftNode leader;
  private final AutoCloseable resources;

  private MicroRaftGroup(List<RaftNode> nodes, RaftNode leader, AutoCloseable resources) {
    this.nodes = nodes;
    this.leader = leader;
    this.resources = resources;
  }

  static MicroRaftGroup start(Durability durability) throws Exception {
    List<RaftEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      endpoints.add(LocalRaftEndpoint.newEndpoint());
    }
    MicroRaftSqlite stores = durability == Durability.DURABLE ? new MicroRaftSqlite() : null;
    List<LocalTransport> transports = new ArrayList<>();
    List<RaftNode> nodes = new ArrayList<>();
    for (RaftEndpoint e : endpoints) {
      LocalTransport transport = new LocalTransport(e);
      RaftNode.RaftNodeBuilder builder =
          RaftNode.newBuilder()
              .setGroupId("bench")
              .setLocalEndpoint(e)
              .setInitialGroupMembers(endpoints)
              .setConfig(RaftConfig.DEFAULT_RAFT_CONFIG)
              .setTransport(transport)
              .setStateMachine(new Counter());
      if (stores != null) {
        builder.setStore(stores.open(e));
      }
      transports.add(transport);
      nodes.add(builder.build());
    }
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        if (i != j) {
          transports.get(i).discoverNode(nodes.get(j));
        }
      }
    }
    nodes.forEach(RaftNode::start);
    RaftNode leader =
        Await.value(
            "MicroRaft leader",
            () -> {
              RaftEndpoint l = nodes.get(0).getTerm().getLeaderEndpoint();
              return l == null ? null : nodes.get(endpoints.indexOf(l));
            });
    return new MicroRaftGroup(nodes, leader, stores);
  }

  @Override
  public CompletableFuture<?> propose(byte[] command) {
    return leader.replicate(command.clone());
  }

  @Override
  public void close() throws Exception {
    for (RaftNode n : nodes) {
      n.terminate().get(30, TimeUnit.SECONDS);
    }
    if (resources != null) {
      resources.close();
    }
  }

  /** Counts the operations applied; a snapshot is the count. */
  private static final class Counter implements StateMachine {
    private long applied;

    @Override
    public Object runOperation(long commitIndex, Object operation) {
      if (operation instanceof byte[]) {
        applied++;
      }
      return null;
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> chunks) {
      chunks.accept(applied);
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> chunks) {
      applied = (Long) chunks.get(0);
    }

    @Override
    public Object getNewTermOperation() {
      return null;
    }
  }
}

package io.stepraft.bench.core;

import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.Status;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * etcd's {@code BenchmarkStatus}: {@code status()} (with every member's progress) and {@code
 * basicStatus()} of a leader of {@code members} voters.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class StatusBenchmark {
  /** Members of the configuration. */
  @Param({"1", "3", "5", "100"})
  public int members;

  private RawNode node;

  /** Node 1 leads: it campaigned and a quorum granted its vote. */
  @Setup(Level.Trial)
  public void setUp() {
    ConfState.Builder cs = ConfState.newBuilder();
    for (long id = 1; id <= members; id++) {
      cs.addVoters(id);
    }
    MemoryStorage storage = MemoryStorage.withConfState(cs.build());
    node =
        new RawNode(
            Config.builder().id(1).electionTicks(10).heartbeatTicks(1).storage(storage).build());
    node.campaign();
    drain(node, storage);
    long term = node.basicStatus().hardState().getTerm();
    for (long id = 2; id <= members / 2 + 1; id++) {
      node.step(
          Message.newBuilder()
              .setType(MessageType.MsgVoteResp)
              .setFrom(id)
              .setTo(1)
              .setTerm(term)
              .build());
    }
    drain(node, storage);
    if (node.basicStatus().softState().role() != Role.LEADER) {
      throw new IllegalStateException("node 1 did not become leader of " + members + " members");
    }
  }

  /** Persists and advances every Ready (its own vote counts once persisted). */
  private static void drain(RawNode node, MemoryStorage storage) {
    while (node.hasReady()) {
      Ready rd = node.ready();
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      storage.append(rd.entries());
      node.advance(rd);
    }
  }

  /** The full status. */
  @Benchmark
  public Status status() {
    return node.status();
  }

  /** The status without the progress map. */
  @Benchmark
  public BasicStatus basicStatus() {
    return node.basicStatus();
  }
}

package io.stepraft.bench.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Three nodes in one thread, each over its own {@link MemoryStorage}, messages passed in memory
 * (optionally serialized to bytes and parsed back, as a transport would). Node 1 leads. An
 * operation proposes a batch of 128-byte payloads on the leader and delivers messages and handles
 * Readies until no node has anything left; the leader must then have applied the whole batch, or
 * the loop throws.
 */
public final class ThreeNodeLoop {
  private static final int NODES = 3;
  private static final byte[] PAYLOAD = new byte[128];

  private final boolean serialize;
  private final MemoryStorage[] storages = new MemoryStorage[NODES + 1];
  private final RawNode[] nodes = new RawNode[NODES + 1];
  private final long[] applied = new long[NODES + 1];
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  private long operations;
  private long messages;

  /**
   * Starts the three nodes and elects node 1.
   *
   * @param serialize whether each message is serialized and parsed on its way
   */
  public ThreeNodeLoop(boolean serialize) {
    this.serialize = serialize;
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
    for (int id = 1; id <= NODES; id++) {
      storages[id] = MemoryStorage.withConfState(cs);
      nodes[id] =
          new RawNode(
              Config.builder()
                  .id(id)
                  .electionTicks(10)
                  .heartbeatTicks(1)
                  .maxInflightMsgs(256)
                  .maxSizePerMsgBytes(1 << 20)
                  .storage(storages[id])
                  .build());
    }
    nodes[1].campaign();
    settle();
    if (nodes[1].basicStatus().softState().role() != Role.LEADER) {
      throw new IllegalStateException("node 1 did not become leader");
    }
    messages = 0;
  }

  /**
   * One operation: {@code batch} proposals on the leader, then everything delivered.
   *
   * @param batch proposals per operation
   * @return the leader's applied index
   */
  public long proposeBatch(int batch) {
    long expected = applied[1] + batch;
    for (int i = 0; i < batch; i++) {
      nodes[1].propose(PAYLOAD);
    }
    settle();
    if (applied[1] != expected) {
      throw new IllegalStateException(
          "operation " + operations + ": leader applied " + applied[1] + ", expected " + expected);
    }
    if (++operations % ProposalLoop.COMPACT_EVERY == 0) {
      for (int id = 1; id <= NODES; id++) {
        storages[id].compact(Math.min(applied[id], applied[1]) - 1);
      }
    }
    return applied[1];
  }

  private void settle() {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (int id = 1; id <= NODES; id++) {
        busy |= handleReadies(id);
      }
      while (!inFlight.isEmpty()) {
        busy = true;
        Message m = inFlight.poll();
        nodes[(int) m.getTo()].step(m);
      }
    }
  }

  private boolean handleReadies(int id) {
    RawNode node = nodes[id];
    boolean any = false;
    while (node.hasReady()) {
      any = true;
      Ready rd = node.ready();
      MemoryStorage storage = storages[id];
      if (rd.hasSnapshot()) {
        storage.applySnapshot(rd.snapshot());
      }
      storage.append(rd.entries());
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      List<Message> out = rd.messages();
      for (int i = 0; i < out.size(); i++) {
        inFlight.add(carry(out.get(i)));
      }
      List<Entry> committed = rd.committedEntries();
      if (!committed.isEmpty()) {
        applied[id] = committed.get(committed.size() - 1).getIndex();
      }
      node.advance(rd);
    }
    return any;
  }

  private Message carry(Message m) {
    messages++;
    if (!serialize) {
      return m;
    }
    try {
      return Message.parseFrom(m.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a message did not survive serialization", e);
    }
  }

  /** Operations run since node 1 became leader. */
  public long operations() {
    return operations;
  }

  /** Messages delivered since node 1 became leader. */
  public long messages() {
    return messages;
  }
}

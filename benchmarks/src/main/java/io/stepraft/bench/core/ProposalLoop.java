package io.stepraft.bench.core;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;

/**
 * The work of etcd's {@code BenchmarkRawNode}: node 1 leads a configuration of one or two voters
 * over a {@link MemoryStorage}; each operation proposes a 3-byte payload and handles Readies until
 * none is left, persisting hard state and entries, answering node 2's part (its vote and its
 * acknowledgement of every append) by stepping the response back in, and advancing. Every operation
 * must commit and apply exactly one more entry, or the loop throws.
 *
 * <p>The storage is compacted every {@value #COMPACT_EVERY} operations so that the live set stays
 * bounded over millions of operations (etcd's benchmark lets it grow); that costs well under 1% of
 * an operation.
 */
public final class ProposalLoop {
  static final int COMPACT_EVERY = 1 << 16;
  private static final byte[] PAYLOAD = {'f', 'o', 'o'};

  private final MemoryStorage storage;
  private final RawNode node;
  private long applied;
  private long operations;
  private long readies;
  private long messages;

  /**
   * Starts node 1 among {@code voters} voters (1 or 2) and makes it leader.
   *
   * @param voters how many voters: 1 (single-voter) or 2 (two-voters)
   */
  public ProposalLoop(int voters) {
    if (voters != 1 && voters != 2) {
      throw new IllegalArgumentException("voters must be 1 or 2, not " + voters);
    }
    ConfState.Builder cs = ConfState.newBuilder();
    for (long id = 1; id <= voters; id++) {
      cs.addVoters(id);
    }
    storage = MemoryStorage.withConfState(cs.build());
    node =
        new RawNode(
            Config.builder().id(1).electionTicks(10).heartbeatTicks(1).storage(storage).build());
    node.campaign();
    stabilize();
    readies = 0;
    messages = 0;
  }

  /** One operation: propose, then handle every Ready; checks that exactly one entry applied. */
  public long proposeAndStabilize() {
    long before = applied;
    node.propose(PAYLOAD);
    stabilize();
    if (applied != before + 1) {
      throw new IllegalStateException(
          "operation " + operations + " applied up to " + applied + ", expected " + (before + 1));
    }
    if (++operations % COMPACT_EVERY == 0) {
      storage.compact(applied);
    }
    return applied;
  }

  private void stabilize() {
    while (node.hasReady()) {
      Ready rd = node.ready();
      readies++;
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      storage.append(rd.entries());
      List<Message> out = rd.messages();
      for (int i = 0; i < out.size(); i++) {
        Message m = out.get(i);
        messages++;
        Message response = responseOf(m);
        if (response != null) {
          node.step(response);
        }
      }
      List<Entry> committed = rd.committedEntries();
      if (!committed.isEmpty()) {
        applied = committed.get(committed.size() - 1).getIndex();
      }
      node.advance(rd);
    }
  }

  /** Node 2's answer to a vote request or an append, or null for anything else. */
  private static Message responseOf(Message m) {
    if (m.getType() == MessageType.MsgVote) {
      return Message.newBuilder()
          .setType(MessageType.MsgVoteResp)
          .setFrom(m.getTo())
          .setTo(m.getFrom())
          .setTerm(m.getTerm())
          .build();
    }
    if (m.getType() == MessageType.MsgApp) {
      int n = m.getEntriesCount();
      long index = n == 0 ? m.getIndex() : m.getEntries(n - 1).getIndex();
      return Message.newBuilder()
          .setType(MessageType.MsgAppResp)
          .setFrom(m.getTo())
          .setTo(m.getFrom())
          .setTerm(m.getTerm())
          .setIndex(index)
          .build();
    }
    return null;
  }

  /** Operations run since the loop was made leader. */
  public long operations() {
    return operations;
  }

  /** Readies handled since the loop was made leader. */
  public long readies() {
    return readies;
  }

  /** Messages sent since the loop was made leader. */
  public long messages() {
    return messages;
  }

  /** The node, for status benchmarks. */
  RawNode node() {
    return node;
  }
}

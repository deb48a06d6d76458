package io.stepraft.raft.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Small helpers shared by the scenario tests: hand-made messages and logs, log comparison. */
final class Scenarios {
  private Scenarios() {}

  /** A message of {@code type} from {@code from} to {@code to} at {@code term}, to be completed. */
  static Message.Builder msg(MessageType type, long from, long to, long term) {
    return Message.newBuilder().setType(type).setFrom(from).setTo(to).setTerm(term);
  }

  /** Steps each message straight into its recipient, bypassing the network's rules. */
  static void deliver(StepCluster c, List<Message> msgs) {
    for (Message m : msgs) {
      c.node(m.getTo()).raw().step(m);
    }
  }

  /** The messages of {@code type} sent from {@code from} to {@code to}. */
  static List<Message> filter(List<Message> msgs, MessageType type, long from, long to) {
    List<Message> out = new ArrayList<>();
    for (Message m : msgs) {
      if (m.getType() == type && m.getFrom() == from && m.getTo() == to) {
        out.add(m);
      }
    }
    return out;
  }

  /** Proposes {@code data} on {@code id} without stabilizing. */
  static void proposeRaw(StepCluster c, long id, String data) {
    c.node(id).raw().propose(data.getBytes(StandardCharsets.UTF_8));
  }

  /** The reason a proposal of {@code data} on {@code id} is dropped; fails if it is accepted. */
  static ProposalDroppedException.Reason dropReason(StepCluster c, long id, String data) {
    return assertThrows(ProposalDroppedException.class, () -> proposeRaw(c, id, data)).reason();
  }

  /** Every entry in the node's storage, first to last. */
  static List<Entry> log(StepNode n) {
    MemoryStorage s = n.storage();
    return s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE);
  }

  /** Asserts that every node of the cluster holds the same (index, term, data) log. */
  static void assertLogsAgree(StepCluster c) {
    String expected = null;
    long expectedFrom = 0;
    for (StepNode n : c.nodes().values()) {
      String described = describe(log(n));
      if (expected == null) {
        expected = described;
        expectedFrom = n.id();
      } else {
        assertEquals(
            expected, described, "log of node " + n.id() + " differs from node " + expectedFrom);
      }
    }
  }

  /** One line per entry: index, term, type and data. */
  static String describe(List<Entry> ents) {
    StringBuilder sb = new StringBuilder();
    for (Entry e : ents) {
      sb.append(e.getIndex())
          .append('/')
          .append(e.getTerm())
          .append(' ')
          .append(e.getType())
          .append(' ')
          .append(e.getData().toStringUtf8())
          .append('\n');
    }
    return sb.toString();
  }

  /** Entries at consecutive indexes from {@code firstIndex}, one per term in {@code terms}. */
  static List<Entry> entries(long firstIndex, long... terms) {
    List<Entry> out = new ArrayList<>(terms.length);
    for (int i = 0; i < terms.length; i++) {
      long index = firstIndex + i;
      out.add(
          Entry.newBuilder()
              .setIndex(index)
              .setTerm(terms[i])
              .setData(com.google.protobuf.ByteString.copyFromUtf8("t" + terms[i] + "-i" + index))
              .build());
    }
    return out;
  }

  /** {@code count} copies of {@code term}. */
  static long[] repeat(long term, int count) {
    long[] out = new long[count];
    java.util.Arrays.fill(out, term);
    return out;
  }

  /** Concatenates term runs. */
  static long[] concat(long[]... runs) {
    int n = 0;
    for (long[] r : runs) {
      n += r.length;
    }
    long[] out = new long[n];
    int at = 0;
    for (long[] r : runs) {
      System.arraycopy(r, 0, out, at, r.length);
      at += r.length;
    }
    return out;
  }

  /**
   * A storage that restarts a member of {@code voters}: a snapshot at index 1, term 1 holding the
   * configuration, then {@code ents}, then the hard state.
   */
  static MemoryStorage storage(List<Long> voters, List<Entry> ents, HardState hs) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder()
                    .setIndex(1)
                    .setTerm(1)
                    .setConfState(ConfState.newBuilder().addAllVoters(voters)))
            .build());
    s.append(ents);
    s.setHardState(hs);
    return s;
  }

  /**
   * Restarts a node the way a host with a durable state machine does: the configuration as of the
   * applied index is persisted with it (here as a snapshot at that index, without compacting the
   * log), then the node is rebuilt from its storage with {@code applied} set. {@link
   * StepNode#restart()} alone keeps only the log and the hard state, so a node whose configuration
   * came from applied entries would restart without any voters.
   */
  static void restartDurably(StepNode n) {
    MemoryStorage s = n.storage();
    long applied = n.applied().isEmpty() ? 0 : n.applied().get(n.applied().size() - 1).getIndex();
    if (applied > s.snapshot().getMetadata().getIndex()) {
      s.createSnapshot(applied, n.confState(), com.google.protobuf.ByteString.EMPTY);
    }
    n.restart();
  }

  /**
   * A cluster of restarted nodes, one per storage (ids 1..n), with election 10 / heartbeat 1 ticks
   * and {@code applied} set to each storage's commit index.
   */
  static StepCluster restarted(List<MemoryStorage> storages, UnaryOperator<Config.Builder> tweak) {
    StepCluster c = StepCluster.create(0);
    for (int i = 0; i < storages.size(); i++) {
      MemoryStorage s = storages.get(i);
      c.addNode(
          tweak.apply(
              Config.builder()
                  .id(i + 1)
                  .electionTicks(10)
                  .heartbeatTicks(1)
                  .storage(s)
                  .applied(s.initialState().hardState().getCommit())));
    }
    return c;
  }
}

package io.stepraft.raft.testing.interaction;

import com.google.protobuf.ByteString;
import io.stepraft.raft.BasicStatus;
import io.stepraft.raft.Config;
import io.stepraft.raft.Describe;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.ProgressState;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.Status;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The world an interaction script runs in: nodes with their hosts ({@link HostNode}), the messages
 * in flight between them, the nodes cut off by {@code isolate}, and the output of the command being
 * run. Single-threaded and deterministic: nodes are visited in id order, messages in the order they
 * were sent.
 */
final class InteractionEnv {
  /** Rounds after which {@code stabilize} gives up: the cluster keeps itself busy. */
  static final int STABILIZE_ROUNDS_MAX = 1000;

  private final Output out = new Output();
  private final EventPrinter.LogLevel logLevel = new EventPrinter.LogLevel();
  private final Function<ByteString, String> dataFormatter;
  private final TreeMap<Long, HostNode> nodes = new TreeMap<>();
  private final List<Message> inFlight = new ArrayList<>();
  private final Set<Long> isolated = new TreeSet<>();

  InteractionEnv(Function<ByteString, String> dataFormatter) {
    this.dataFormatter = dataFormatter;
  }

  Output out() {
    return out;
  }

  EventPrinter.LogLevel logLevel() {
    return logLevel;
  }

  String describe(Message m) {
    return Describe.message(m, dataFormatter);
  }

  // ---------------------------------------------------------------- nodes

  /** The id the next added node gets: one above the highest so far. */
  long nextId() {
    return nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
  }

  EventPrinter newEventPrinter() {
    return new EventPrinter(out, logLevel);
  }

  void add(HostNode node) {
    nodes.put(node.id(), node);
  }

  HostNode node(long id) {
    HostNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + "; the nodes are " + nodes.keySet());
    }
    return n;
  }

  Collection<Long> ids() {
    return nodes.keySet();
  }

  // ---------------------------------------------------------------- the host's work

  /** Takes a Ready from the node and handles it, printing its description. */
  void processReady(long id) {
    HostNode n = node(id);
    if (!n.raw().hasReady()) {
      out.line("<empty Ready>");
      return;
    }
    Ready rd = n.raw().ready();
    out.line(Describe.ready(rd, dataFormatter));
    inFlight.addAll(n.handle(rd));
  }

  /** Runs the node's append thread over all its queued work. */
  void processAppendThread(long id) {
    HostNode n = storageThreadsOf(id);
    while (n.hasAppendWork()) {
      printStorageWork(n.runAppendThread());
    }
  }

  /** Runs the node's apply thread over all its queued work. */
  void processApplyThread(long id) {
    HostNode n = storageThreadsOf(id);
    while (n.hasApplyWork()) {
      printStorageWork(n.runApplyThread());
    }
  }

  private HostNode storageThreadsOf(long id) {
    HostNode n = node(id);
    if (!n.asyncWrites()) {
      throw new IllegalArgumentException(
          "node " + id + " writes synchronously: it has no storage threads");
    }
    return n;
  }

  private void printStorageWork(Message done) {
    out.line("Processing:");
    out.line(describe(done.toBuilder().clearResponses().build()));
    if (done.getResponsesCount() > 0) {
      out.line("Responses:");
      for (Message r : done.getResponsesList()) {
        out.line(describe(r));
      }
    }
    inFlight.addAll(done.getResponsesList());
  }

  // ---------------------------------------------------------------- the network

  boolean hasMessagesTo(long id) {
    return inFlight.stream().anyMatch(m -> m.getTo() == id);
  }

  /**
   * Delivers the messages in flight to {@code id} (those of {@code type} only, when not null), in
   * the order they were sent, or drops them when {@code drop}; messages crossing a partition are
   * dropped too. Every message is printed; errors of the recipient are printed below it.
   *
   * @return whether there was any message
   */
  boolean deliver(long id, MessageType type, boolean drop) {
    HostNode n = node(id);
    List<Message> batch = take(id, type);
    for (Message m : batch) {
      if (drop || crossesPartition(m)) {
        out.line("dropped: " + describe(m));
        continue;
      }
      out.line(describe(m));
      try {
        n.raw().step(m);
      } catch (RaftException e) {
        out.indented(() -> out.line("error: " + e.getMessage()));
      }
    }
    return !batch.isEmpty();
  }

  private List<Message> take(long to, MessageType type) {
    List<Message> batch = new ArrayList<>();
    for (Iterator<Message> it = inFlight.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (m.getTo() == to && (type == null || m.getType() == type)) {
        batch.add(m);
        it.remove();
      }
    }
    return batch;
  }

  /** Whether a message runs between two different nodes of which one is isolated. */
  private boolean crossesPartition(Message m) {
    long from = m.getFrom();
    long to = m.getTo();
    boolean betweenNodes = from > 0 && to > 0 && from != to;
    return betweenNodes && (isolated.contains(from) || isolated.contains(to));
  }

  void isolate(long id) {
    node(id);
    isolated.add(id);
  }

  void recover() {
    isolated.clear();
  }

  /**
   * Handles Readies, delivers messages and runs the storage threads of {@code ids} until none of
   * them has anything left to do, printing every step under a header naming the node.
   *
   * @throws IllegalStateException if that takes more than {@value #STABILIZE_ROUNDS_MAX} rounds
   */
  void stabilize(Collection<Long> ids) {
    for (long id : ids) {
      node(id);
    }
    for (int round = 0; round < STABILIZE_ROUNDS_MAX; round++) {
      boolean done = true;
      for (long id : ids) {
        if (node(id).raw().hasReady()) {
          done = false;
          out.line("> " + id + " handling Ready");
          out.indented(() -> processReady(id));
        }
      }
      for (long id : ids) {
        if (hasMessagesTo(id)) {
          done = false;
          out.line("> " + id + " receiving messages");
          out.indented(() -> deliver(id, null, false));
        }
      }
      for (long id : ids) {
        if (node(id).hasAppendWork()) {
          done = false;
          out.line("> " + id + " processing append thread");
          out.indented(() -> processAppendThread(id));
        }
      }
      for (long id : ids) {
        if (node(id).hasApplyWork()) {
          done = false;
          out.line("> " + id + " processing apply thread");
          out.indented(() -> processApplyThread(id));
        }
      }
      if (done) {
        return;
      }
    }
    throw new IllegalStateException(
        "nodes " + ids + " did not stabilize in " + STABILIZE_ROUNDS_MAX + " rounds");
  }

  // ---------------------------------------------------------------- inspection

  /** Prints the node's stable log (its storage): the snapshot, if any, then the entries. */
  void printRaftLog(long id) {
    MemoryStorage s = node(id).storage();
    if (s.snapshot().getMetadata().getIndex() > 0) {
      out.line("Snapshot " + Describe.snapshot(s.snapshot()));
    }
    long first = s.firstIndex();
    long last = s.lastIndex();
    if (last < first) {
      out.line("log is empty: first index=" + first + ", last index=" + last);
      return;
    }
    out.line(Describe.entries(s.entries(first, last + 1, Config.NO_LIMIT), dataFormatter));
  }

  /** Prints one line per node: role, membership, term, leader. */
  void printRaftState() {
    for (HostNode n : nodes.values()) {
      BasicStatus b = n.raw().basicStatus();
      Role role = b.softState().role();
      out.line(
          n.id()
              + ": "
              + role
              + " ("
              + membership(n.id(), n.raw().status().config())
              + ") Term:"
              + b.hardState().getTerm()
              + " Lead:"
              + b.softState().lead()
              + (isolated.contains(n.id()) ? " isolated" : ""));
    }
  }

  private static String membership(long id, ConfState cs) {
    if (cs.getVotersList().contains(id) || cs.getVotersOutgoingList().contains(id)) {
      return "Voter";
    }
    if (cs.getLearnersList().contains(id) || cs.getLearnersNextList().contains(id)) {
      return "Learner";
    }
    return "Non-Member";
  }

  /** Prints the node's status and, on a leader, the progress of every peer. */
  void printStatus(long id) {
    Status st = node(id).raw().status();
    BasicStatus b = st.basic();
    out.line(
        Describe.softState(b.softState())
            + " "
            + Describe.hardState(b.hardState())
            + " Applied:"
            + b.applied()
            + (b.leadTransferee() != 0 ? " LeadTransferee:" + b.leadTransferee() : ""));
    out.line("Config: " + Describe.confState(st.config()));
    if (st.progress().isEmpty()) {
      return;
    }
    out.line("Progress:");
    for (Map.Entry<Long, PeerProgress> e : st.progress().entrySet()) {
      out.line(e.getKey() + ": " + describe(e.getValue()));
    }
  }

  private static String describe(PeerProgress p) {
    StringBuilder sb =
        new StringBuilder()
            .append(p.state())
            .append(" match=")
            .append(p.match())
            .append(" next=")
            .append(p.next());
    if (p.learner()) {
      sb.append(" learner");
    }
    if (p.paused()) {
      sb.append(" paused");
    }
    if (!p.recentActive()) {
      sb.append(" inactive");
    }
    if (p.inflightMessages() > 0) {
      sb.append(" inflight=").append(p.inflightMessages());
    }
    if (p.state() == ProgressState.SNAPSHOT) {
      sb.append(" pendingSnap=").append(p.pendingSnapshot());
    }
    return sb.toString();
  }
}

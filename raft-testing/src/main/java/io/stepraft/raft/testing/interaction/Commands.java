package io.stepraft.raft.testing.interaction;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.ReadOnlyOption;
import io.stepraft.raft.Role;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The script commands: each parses its arguments and acts on the {@link InteractionEnv}. Errors in
 * a script (an unknown command or argument, a missing node) are {@link IllegalArgumentException}s;
 * errors raft reports ({@link RaftException}: a dropped proposal, say) are printed as output.
 */
final class Commands {
  private Commands() {}

  private record Spec(String usage, BiConsumer<InteractionEnv, Command> run) {}

  private static final Map<String, Spec> COMMANDS = new TreeMap<>();

  private static void define(String name, String usage, BiConsumer<InteractionEnv, Command> run) {
    COMMANDS.put(name, new Spec(name + (usage.isEmpty() ? "" : " " + usage), run));
  }

  private static final Set<String> NODE_OPTIONS =
      Set.of(
          "voters",
          "learners",
          "bootstrap",
          "index",
          "prevote",
          "checkquorum",
          "async-storage-writes",
          "step-down-on-removal",
          "disable-proposal-forwarding",
          "read-only",
          "election-ticks",
          "heartbeat-ticks",
          "max-msg-size",
          "max-inflight-msgs",
          "max-inflight-bytes",
          "max-committed-size-per-ready",
          "max-uncommitted-size");

  static {
    define(
        "add-nodes",
        "COUNT [voters=(IDS)] [learners=(IDS)] [bootstrap=true] [index=I] [OPTION=VALUE...]",
        Commands::addNodes);
    define("campaign", "ID", (env, c) -> env.node(id(c)).raw().campaign());
    define("propose", "ID DATA", Commands::propose);
    define(
        "propose-conf-change",
        "ID [v1=true] [transition=auto|implicit|explicit] CHANGE... (vN lN rN uN)",
        Commands::proposeConfChange);
    define("tick", "ID [count=N]", Commands::tick);
    define("tick-heartbeat", "ID", Commands::tickHeartbeat);
    define("tick-election", "ID", Commands::tickElection);
    define("stabilize", "[ID...]", Commands::stabilize);
    define(
        "process-ready",
        "ID...",
        (env, c) -> eachNode(env, c, "handling Ready", env::processReady));
    define(
        "process-append-thread",
        "ID...",
        (env, c) -> eachNode(env, c, "processing append thread", env::processAppendThread));
    define(
        "process-apply-thread",
        "ID...",
        (env, c) -> eachNode(env, c, "processing apply thread", env::processApplyThread));
    define("deliver-msgs", "[drop=(IDS)] [type=MSGTYPE] [ID...]", Commands::deliverMsgs);
    define("raft-log", "ID", (env, c) -> env.printRaftLog(id(c)));
    define(
        "raft-state",
        "",
        (env, c) -> {
          c.checkPositional(0, 0);
          c.checkKeys(Set.of());
          env.printRaftState();
        });
    define("status", "ID", (env, c) -> env.printStatus(id(c)));
    define("transfer-leadership", "from=ID to=ID", Commands::transferLeadership);
    define("read-index", "ID CONTEXT", Commands::readIndex);
    define("forget-leader", "ID", (env, c) -> env.node(id(c)).raw().forgetLeader());
    define("report-unreachable", "ID PEER", Commands::reportUnreachable);
    define("report-snapshot", "ID PEER [failed=true]", Commands::reportSnapshot);
    define("compact", "ID INDEX", Commands::compact);
    define("isolate", "ID", (env, c) -> env.isolate(id(c)));
    define(
        "recover",
        "",
        (env, c) -> {
          c.checkPositional(0, 0);
          env.recover();
        });
    define("log-level", "none|info", Commands::logLevel);
  }

  /** Runs one command line on the environment. */
  static void run(InteractionEnv env, Command c) {
    Spec spec = COMMANDS.get(c.name());
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown command " + c.name() + "; the commands are " + COMMANDS.keySet());
    }
    try {
      spec.run().accept(env, c);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (usage: " + spec.usage() + ")", e);
    } catch (RaftException e) {
      env.out().line("error: " + e.getMessage());
    }
  }

  /** The single positional argument, a node id, with no key=value arguments. */
  private static long id(Command c) {
    c.checkPositional(1, 1);
    c.checkKeys(Set.of());
    return c.number(0);
  }

  private static List<Long> ids(Command c) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < c.positional().size(); i++) {
      ids.add(c.number(i));
    }
    return ids;
  }

  private interface NodeAction {
    void run(long id);
  }

  private static void eachNode(InteractionEnv env, Command c, String header, NodeAction action) {
    c.checkKeys(Set.of());
    List<Long> ids = ids(c);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("name at least one node");
    }
    for (long id : ids) {
      env.node(id);
      env.out().line("> " + id + " " + header);
      env.out().indented(() -> action.run(id));
    }
  }

  // ---------------------------------------------------------------- add-nodes

  private static void addNodes(InteractionEnv env, Command c) {
    c.checkPositional(1, 1);
    c.checkKeys(NODE_OPTIONS);
    long count = c.number(0);
    if (count < 1) {
      throw new IllegalArgumentException("COUNT must be at least 1, was " + count);
    }
    ConfState cs =
        ConfState.newBuilder()
            .addAllVoters(c.numbers("voters"))
            .addAllLearners(c.numbers("learners"))
            .build();
    boolean bootstrap = c.bool("bootstrap", false);
    long index = c.number("index", 0);
    if (bootstrap && (cs.getVotersCount() == 0 || cs.getLearnersCount() > 0 || index != 0)) {
      throw new IllegalArgumentException(
          "bootstrap=true takes voters=(...) and neither learners nor index");
    }
    boolean empty = cs.getVotersCount() == 0 && cs.getLearnersCount() == 0;
    if (empty && index != 0) {
      throw new IllegalArgumentException("index=" + index + " needs voters=(...)");
    }
    for (long k = 0; k < count; k++) {
      long id = env.nextId();
      MemoryStorage storage = storage(cs, bootstrap || empty, index);
      EventPrinter events = env.newEventPrinter();
      Config config = config(c, id, storage, index, events);
      HostNode node = new HostNode(config, storage, events, env.out());
      if (bootstrap) {
        List<Peer> peers = new ArrayList<>();
        for (long v : cs.getVotersList()) {
          peers.add(Peer.of(v));
        }
        node.raw().bootstrap(peers);
      }
      env.add(node);
    }
  }

  /**
   * The storage a new node starts from: empty (to bootstrap, or to be added later), holding only
   * the configuration, or holding a snapshot at {@code index} (term 1) with the configuration.
   */
  private static MemoryStorage storage(ConfState cs, boolean empty, long index) {
    if (empty) {
      return new MemoryStorage();
    }
    if (index == 0) {
      return MemoryStorage.withConfState(cs);
    }
    MemoryStorage storage = new MemoryStorage();
    storage.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(1).setConfState(cs))
            .build());
    storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(index).build());
    return storage;
  }

  private static Config config(
      Command c, long id, MemoryStorage storage, long applied, EventPrinter events) {
    Config.Builder b =
        Config.builder()
            .id(id)
            .storage(storage)
            .applied(applied)
            .listener(events)
            .electionTicks((int) c.number("election-ticks", 10))
            .heartbeatTicks((int) c.number("heartbeat-ticks", 1))
            .preVote(c.bool("prevote", false))
            .checkQuorum(c.bool("checkquorum", false))
            .asyncStorageWrites(c.bool("async-storage-writes", false))
            .stepDownOnRemoval(c.bool("step-down-on-removal", false))
            .disableProposalForwarding(c.bool("disable-proposal-forwarding", false))
            .maxSizePerMsgBytes(c.number("max-msg-size", Config.DEFAULT_MAX_SIZE_PER_MSG_BYTES))
            .maxInflightMsgs((int) c.number("max-inflight-msgs", Config.DEFAULT_MAX_INFLIGHT_MSGS))
            .maxInflightBytes(c.number("max-inflight-bytes", Config.DEFAULT_MAX_INFLIGHT_BYTES))
            .maxCommittedSizePerReadyBytes(
                c.number(
                    "max-committed-size-per-ready",
                    Config.DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES))
            .maxUncommittedEntriesSizeBytes(
                c.number(
                    "max-uncommitted-size", Config.DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES));
    String readOnly = c.string("read-only", "safe");
    switch (readOnly) {
      case "safe" -> b.readOnlyOption(ReadOnlyOption.SAFE);
      case "lease" -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED);
      default ->
          throw new IllegalArgumentException("read-only must be safe or lease, was " + readOnly);
    }
    return b.build();
  }

  // ---------------------------------------------------------------- proposals

  private static void propose(InteractionEnv env, Command c) {
    c.checkPositional(2, 2);
    c.checkKeys(Set.of());
    HostNode n = env.node(c.number(0));
    n.raw().propose(c.positional().get(1).getBytes(StandardCharsets.UTF_8));
  }

  private static void proposeConfChange(InteractionEnv env, Command c) {
    c.checkKeys(Set.of("v1", "transition"));
    if (c.positional().isEmpty()) {
      throw new IllegalArgumentException("name the node that proposes");
    }
    HostNode n = env.node(c.number(0));
    List<ConfChangeSingle> changes = new ArrayList<>();
    for (String token : c.positional().subList(1, c.positional().size())) {
      changes.add(change(token));
    }
    ConfChangeTransition transition =
        switch (c.string("transition", "auto")) {
          case "auto" -> ConfChangeTransition.ConfChangeTransitionAuto;
          case "implicit" -> ConfChangeTransition.ConfChangeTransitionJointImplicit;
          case "explicit" -> ConfChangeTransition.ConfChangeTransitionJointExplicit;
          default ->
              throw new IllegalArgumentException("transition must be auto, implicit or explicit");
        };
    if (c.bool("v1", false)) {
      if (changes.size() != 1 || c.has("transition")) {
        throw new IllegalArgumentException(
            "a v1 change holds exactly one change and no transition");
      }
      n.raw()
          .proposeConfChange(
              ConfChange.newBuilder()
                  .setType(changes.get(0).getType())
                  .setNodeId(changes.get(0).getNodeId())
                  .build());
      return;
    }
    n.raw()
        .proposeConfChange(
            ConfChangeV2.newBuilder().setTransition(transition).addAllChanges(changes).build());
  }

  /** Parses {@code v4} (add voter 4), {@code l4} (learner), {@code r4} (remove), {@code u4}. */
  private static ConfChangeSingle change(String token) {
    if (token.length() < 2) {
      throw new IllegalArgumentException("bad change " + token + ": use vN, lN, rN or uN");
    }
    ConfChangeType type =
        switch (token.charAt(0)) {
          case 'v' -> ConfChangeType.ConfChangeAddNode;
          case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
          case 'r' -> ConfChangeType.ConfChangeRemoveNode;
          case 'u' -> ConfChangeType.ConfChangeUpdateNode;
          default ->
              throw new IllegalArgumentException("bad change " + token + ": use vN, lN, rN or uN");
        };
    long id = Command.parseNumber("the node of change " + token, token.substring(1));
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  private static void transferLeadership(InteractionEnv env, Command c) {
    c.checkPositional(0, 0);
    c.checkKeys(Set.of("from", "to"));
    if (!c.has("from") || !c.has("to")) {
      throw new IllegalArgumentException("name both from=ID and to=ID");
    }
    env.node(c.number("from", 0)).raw().transferLeader(c.number("to", 0));
  }

  private static void readIndex(InteractionEnv env, Command c) {
    c.checkPositional(2, 2);
    c.checkKeys(Set.of());
    env.node(c.number(0)).raw().readIndex(c.positional().get(1).getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- time

  private static void tick(InteractionEnv env, Command c) {
    c.checkPositional(1, 1);
    c.checkKeys(Set.of("count"));
    HostNode n = env.node(c.number(0));
    long count = c.number("count", 1);
    for (long i = 0; i < count; i++) {
      n.raw().tick();
    }
  }

  private static void tickHeartbeat(InteractionEnv env, Command c) {
    HostNode n = env.node(id(c));
    for (int i = 0; i < n.config().heartbeatTicks(); i++) {
      n.raw().tick();
    }
  }

  /**
   * A leader ticks for one election timeout (one check-quorum round). Any other node ticks until
   * its randomized election timeout fires, at most twice the configured timeout: the timeout is
   * drawn in {@code [electionTicks, 2 * electionTicks)} from the node's seeded random source.
   */
  private static void tickElection(InteractionEnv env, Command c) {
    HostNode n = env.node(id(c));
    int electionTicks = n.config().electionTicks();
    if (n.raw().basicStatus().softState().role() == Role.LEADER) {
      for (int i = 0; i < electionTicks; i++) {
        n.raw().tick();
      }
      return;
    }
    long campaigns = n.events().campaigns();
    for (int i = 0; i < 2 * electionTicks && n.events().campaigns() == campaigns; i++) {
      n.raw().tick();
    }
  }

  // ---------------------------------------------------------------- the network

  private static void stabilize(InteractionEnv env, Command c) {
    c.checkKeys(Set.of());
    List<Long> ids = ids(c);
    env.stabilize(ids.isEmpty() ? List.copyOf(env.ids()) : ids);
  }

  private static void deliverMsgs(InteractionEnv env, Command c) {
    c.checkKeys(Set.of("drop", "type"));
    MessageType type = null;
    if (c.has("type")) {
      String name = c.string("type", null);
      try {
        type = MessageType.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("no message type " + name, e);
      }
    }
    List<Long> drop = c.numbers("drop");
    List<Long> deliver = ids(c);
    if (drop.isEmpty() && deliver.isEmpty()) {
      deliver = List.copyOf(env.ids());
    }
    for (long id : drop) {
      env.deliver(id, type, true);
    }
    for (long id : deliver) {
      env.deliver(id, type, false);
    }
  }

  private static void reportUnreachable(InteractionEnv env, Command c) {
    c.checkPositional(2, 2);
    c.checkKeys(Set.of());
    env.node(c.number(0)).raw().reportUnreachable(c.number(1));
  }

  private static void reportSnapshot(InteractionEnv env, Command c) {
    c.checkPositional(2, 2);
    c.checkKeys(Set.of("failed"));
    SnapshotStatus status =
        c.bool("failed", false) ? SnapshotStatus.FAILURE : SnapshotStatus.FINISH;
    env.node(c.number(0)).raw().reportSnapshot(c.number(1), status);
  }

  // ---------------------------------------------------------------- storage and output

  private static void compact(InteractionEnv env, Command c) {
    c.checkPositional(2, 2);
    c.checkKeys(Set.of());
    long id = c.number(0);
    env.node(id).compact(c.number(1));
    env.printRaftLog(id);
  }

  private static void logLevel(InteractionEnv env, Command c) {
    c.checkPositional(1, 1);
    c.checkKeys(Set.of());
    switch (c.positional().get(0)) {
      case "none" -> env.logLevel().info = false;
      case "info" -> env.logLevel().info = true;
      default -> throw new IllegalArgumentException("the levels are none and info");
    }
  }
}

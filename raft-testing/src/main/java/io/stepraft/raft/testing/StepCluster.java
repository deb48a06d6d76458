package io.stepraft.raft.testing;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RaftException;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Role;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An in-memory cluster of {@link StepNode}s on a network that can drop messages, cut links, isolate
 * nodes and recover. Everything is single-threaded and driven explicitly: {@link #stabilize()}
 * handles Readies and delivers messages until nothing is left to do.
 */
public final class StepCluster {
  private final TreeMap<Long, StepNode> nodes = new TreeMap<>();
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  private final Set<Long> cutLinks = new HashSet<>();
  private final Map<Long, Double> dropRates = new HashMap<>();
  private final EnumSet<MessageType> ignored = EnumSet.noneOf(MessageType.class);
  private final SplittableRandom random;
  private final List<Message> delivered = new ArrayList<>();
  private boolean recordDelivered;
  private final List<Predicate<Message>> dropRules = new ArrayList<>();

  private StepCluster(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * A bootstrapped cluster of nodes 1..n with election 10 / heartbeat 1 ticks.
   *
   * @param tweak adjusts each node's config (its id is already set)
   */
  public static StepCluster create(int n, UnaryOperator<Config.Builder> tweak) {
    return create(n, tweak, RawNode::new);
  }

  /**
   * A bootstrapped cluster of nodes 1..n built by {@code factory} (a core with a planted bug, say).
   *
   * @param tweak adjusts each node's config (its id is already set)
   */
  public static StepCluster create(
      int n, UnaryOperator<Config.Builder> tweak, Function<Config, RawNode> factory) {
    StepCluster c = new StepCluster(42);
    List<Peer> peers = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      peers.add(Peer.of(id));
    }
    for (long id = 1; id <= n; id++) {
      Config.Builder b =
          Config.builder().id(id).electionTicks(10).heartbeatTicks(1).storage(new MemoryStorage());
      StepNode node = new StepNode(tweak.apply(b).build(), factory);
      node.raw().bootstrap(peers);
      c.nodes.put(id, node);
    }
    c.stabilize();
    return c;
  }

  /**
   * A bootstrapped cluster of nodes 1..n whose RawNodes read their log through {@code
   * wrap.apply(id, memoryStorage)}, e.g. a Storage that fails on purpose; the host side (the
   * StepNode) still writes to the MemoryStorage.
   *
   * @param tweak adjusts each node's config (its id is already set)
   * @param wrap returns the Storage node {@code id} reads, given the MemoryStorage it writes
   */
  public static StepCluster createWrapped(
      int n, UnaryOperator<Config.Builder> tweak, BiFunction<Long, MemoryStorage, Storage> wrap) {
    StepCluster c = new StepCluster(42);
    List<Peer> peers = new ArrayList<>();
    for (long id = 1; id <= n; id++) {
      peers.add(Peer.of(id));
    }
    for (long id = 1; id <= n; id++) {
      MemoryStorage ms = new MemoryStorage();
      Config.Builder b =
          Config.builder().id(id).electionTicks(10).heartbeatTicks(1).storage(wrap.apply(id, ms));
      StepNode node = new StepNode(tweak.apply(b).build(), ms);
      node.raw().bootstrap(peers);
      c.nodes.put(id, node);
    }
    c.stabilize();
    return c;
  }

  /** A bootstrapped cluster with default settings. */
  public static StepCluster create(int n) {
    return create(n, b -> b);
  }

  /** Adds a node that is not bootstrapped (to be added by a configuration change). */
  public StepNode addNode(Config.Builder config) {
    StepNode node = new StepNode(config.build(), RawNode::new);
    nodes.put(node.id(), node);
    return node;
  }

  /**
   * Adds node {@code id} with an empty storage and default settings, not bootstrapped: to be added
   * by a configuration change.
   */
  public StepNode addNode(long id) {
    return addNode(id, b -> b);
  }

  /**
   * Adds node {@code id} with an empty storage, not bootstrapped: to be added by a configuration
   * change.
   *
   * @param tweak adjusts the node's config (its id and storage are already set)
   */
  public StepNode addNode(long id, UnaryOperator<Config.Builder> tweak) {
    return addNode(tweak.apply(Config.builder().id(id).storage(new MemoryStorage())));
  }

  /** The node with this id. */
  public StepNode node(long id) {
    StepNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  /** Every node, by id. */
  public Map<Long, StepNode> nodes() {
    return nodes;
  }

  /** Starts an election on {@code id} and stabilizes. */
  public void campaign(long id) {
    node(id).raw().campaign();
    stabilize();
  }

  /** Proposes {@code data} on {@code id} and stabilizes. */
  public void propose(long id, String data) {
    node(id).raw().propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    stabilize();
  }

  /** Ticks every node once, then stabilizes. */
  public void tickAll() {
    for (StepNode n : nodes.values()) {
      n.raw().tick();
    }
    stabilize();
  }

  /** Ticks every node {@code ticks} times, stabilizing after each. */
  public void tickAll(int ticks) {
    for (int i = 0; i < ticks; i++) {
      tickAll();
    }
  }

  /** Ticks one node {@code ticks} times, stabilizing after each. */
  public void tick(long id, int ticks) {
    for (int i = 0; i < ticks; i++) {
      node(id).raw().tick();
      stabilize();
    }
  }

  /**
   * Handles Readies and delivers messages until no node has work and no message is in flight.
   * Messages are delivered in order; network rules apply at delivery.
   */
  public void stabilize() {
    for (int rounds = 0; rounds < 100_000; rounds++) {
      boolean progress = false;
      for (StepNode n : nodes.values()) {
        List<Message> out = n.work();
        if (!out.isEmpty()) {
          inFlight.addAll(out);
        }
        progress |= !out.isEmpty();
      }
      if (!inFlight.isEmpty()) {
        deliverAll();
        progress = true;
      }
      if (!progress && nodes.values().stream().noneMatch(StepNode::hasWork)) {
        return;
      }
    }
    throw new AssertionError("cluster did not stabilize");
  }

  /** Sends messages into the network, as if some node had emitted them, and stabilizes. */
  public void send(Message... msgs) {
    inFlight.addAll(List.of(msgs));
    stabilize();
  }

  /** Handles pending Readies and returns the messages they emit without delivering them. */
  public List<Message> collect(long id) {
    return node(id).handleReadies();
  }

  private void deliverAll() {
    List<Message> batch = new ArrayList<>(inFlight);
    inFlight.clear();
    for (Message m : batch) {
      if (!shouldDeliver(m)) {
        continue;
      }
      StepNode to = nodes.get(m.getTo());
      if (to == null) {
        continue;
      }
      if (recordDelivered) {
        delivered.add(m);
      }
      try {
        to.raw().step(m);
      } catch (RaftException e) {
        // a dropped proposal or a response from a removed peer: the sender learns nothing
      }
    }
  }

  private boolean shouldDeliver(Message m) {
    if (ignored.contains(m.getType()) || matchesDropRule(m)) {
      return false;
    }
    if (cutLinks.contains(link(m.getFrom(), m.getTo()))) {
      return false;
    }
    Double rate = dropRates.get(link(m.getFrom(), m.getTo()));
    return rate == null || random.nextDouble() >= rate;
  }

  private static long link(long from, long to) {
    return (from << 32) ^ to;
  }

  /** Cuts the link between two nodes in both directions. */
  public void cut(long a, long b) {
    cutLinks.add(link(a, b));
    cutLinks.add(link(b, a));
  }

  /** Cuts the link in one direction only. */
  public void cutOneWay(long from, long to) {
    cutLinks.add(link(from, to));
  }

  /** Cuts every link of a node. */
  public void isolate(long id) {
    for (long other : nodes.keySet()) {
      if (other != id) {
        cut(id, other);
      }
    }
  }

  /** Drops messages from {@code from} to {@code to} with probability {@code rate}. */
  public void drop(long from, long to, double rate) {
    dropRates.put(link(from, to), rate);
  }

  /** Drops every message of this type. */
  public void ignore(MessageType type) {
    ignored.add(type);
  }

  /** Heals every cut, drop and ignore rule. */
  public void recover() {
    cutLinks.clear();
    dropRates.clear();
    ignored.clear();
    dropRules.clear();
  }

  /** Starts recording delivered messages (see {@link #delivered()}). */
  public void recordDelivered(boolean on) {
    recordDelivered = on;
    delivered.clear();
  }

  /** Messages delivered since recording started. */
  public List<Message> delivered() {
    return delivered;
  }

  /** The id of the leader of the highest term among nodes that think they lead, or 0. */
  public long leader() {
    long best = 0;
    long bestTerm = -1;
    for (StepNode n : nodes.values()) {
      if (n.role() == Role.LEADER && n.term() > bestTerm) {
        best = n.id();
        bestTerm = n.term();
      }
    }
    return best;
  }

  /**
   * A cluster of nodes 1..n started from prepared storages (entry i of {@code storages} belongs to
   * node i + 1), without bootstrapping: each storage must already hold the configuration (in its
   * snapshot) and whatever log and hard state the test needs. Election 10 / heartbeat 1 ticks.
   *
   * @param tweak adjusts each node's config (its id and storage are already set)
   */
  public static StepCluster fromStorages(
      List<MemoryStorage> storages, UnaryOperator<Config.Builder> tweak) {
    StepCluster c = new StepCluster(42);
    for (int i = 0; i < storages.size(); i++) {
      long id = i + 1;
      Config.Builder b =
          Config.builder().id(id).electionTicks(10).heartbeatTicks(1).storage(storages.get(i));
      c.nodes.put(id, new StepNode(tweak.apply(b).build(), RawNode::new));
    }
    c.stabilize();
    return c;
  }

  /**
   * Drops every message for which {@code rule} returns true at delivery time (the rule may look at
   * the cluster's state). {@link #recover()} removes every rule.
   */
  public void dropIf(Predicate<Message> rule) {
    dropRules.add(rule);
  }

  /**
   * Holds back, instead of delivering, every message for which {@code rule} is true at delivery
   * time, so that a test can step them in by hand, one at a time ({@link #stepHeld}). {@link
   * #recover()} stops holding.
   *
   * @return the list the held messages collect in, oldest first; the test may remove from it
   */
  public List<Message> hold(Predicate<Message> rule) {
    List<Message> held = new ArrayList<>();
    dropIf(m -> rule.test(m) && held.add(m));
    return held;
  }

  /**
   * Removes the oldest message of type {@code type} from {@code held}, steps it into its recipient,
   * and stabilizes.
   */
  public void stepHeld(List<Message> held, MessageType type) {
    Message m =
        held.stream()
            .filter(x -> x.getType() == type)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + type + " held in " + held));
    held.remove(m);
    node(m.getTo()).raw().step(m);
    stabilize();
  }

  private boolean matchesDropRule(Message m) {
    for (Predicate<Message> rule : dropRules) {
      if (rule.test(m)) {
        return true;
      }
    }
    return false;
  }
}

package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding: the Ready loop" example, compiled and run. The code between each pair of
 * {@code readme:begin} / {@code readme:end} markers below must be, once its indentation is removed,
 * the matching {@code java} block of that README section, in order; the test fails when the two
 * drift apart. The transport, the WAL and the state machine of the example are small fakes; three
 * hosts share one thread, each running one pass of its loop in turn.
 */
class ReadmeExampleTest {
  private static final Path README = Path.of("../README.md");
  private static final Path THIS_FILE =
      Path.of("src/test/java/io/stepraft/raft/ReadmeExampleTest.java");
  private static final String SECTION = "## Embedding: the Ready loop";
  private static final String BEGIN = "// readme:begin";
  private static final String END = "// readme:end";
  private static final int MAX_ROUNDS = 1000;

  /** One node and its host, with the names the README uses. */
  static final class Host {
    final MemoryStorage storage;
    final RawNode node;
    final Transport transport;
    final Wal wal = new Wal();
    final StateMachine stateMachine = new StateMachine();
    private boolean running;
    private boolean tickScheduled;

    private Host(MemoryStorage storage, RawNode node, Transport transport) {
      this.storage = storage;
      this.node = node;
      this.transport = transport;
    }

    static Host start(long id, Map<Long, List<Message>> network) {
      // readme:begin
      MemoryStorage storage = new MemoryStorage();
      Config config =
          Config.builder()
              .id(id) // this node's id: 1, 2 or 3
              .electionTicks(10)
              .heartbeatTicks(1)
              .checkQuorum(true)
              .preVote(true)
              .storage(storage)
              .build();
      RawNode node = new RawNode(config);
      node.bootstrap(List.of(Peer.of(1), Peer.of(2), Peer.of(3))); // a brand-new cluster only
      // readme:end
      return new Host(storage, node, new Transport(id, network));
    }

    /** Runs the loop once through, ticking first if {@code tick}. */
    void runOnePass(boolean tick) {
      running = true;
      tickScheduled = tick;
      loop();
    }

    private void loop() {
      // readme:begin
      while (running) {
        if (tickDue()) node.tick(); // time is counted in ticks
        for (Message m : transport.poll()) node.step(m); // messages from peers
        if (!node.hasReady()) continue;
        Ready rd = node.ready();
        wal.save(rd.snapshot(), rd.entries(), rd.hardState(), rd.mustSync()); // 1. persist (fsync)
        if (rd.hasSnapshot()) storage.applySnapshot(rd.snapshot());
        storage.append(rd.entries());
        if (rd.hasHardState()) storage.setHardState(rd.hardState());
        transport.send(rd.messages()); // 2. only then send
        if (rd.hasSnapshot()) stateMachine.restore(rd.snapshot()); // 3. apply, in order
        for (Entry e : rd.committedEntries()) {
          if (e.getType() == EntryType.EntryNormal) {
            stateMachine.apply(e.getIndex(), e.getData());
          } else { // a membership change
            stateMachine.saveConfState(node.applyConfChange(e));
          }
        }
        node.advance(rd); // 4. tell raft it is done
      }
      // readme:end
    }

    /** Whether the host's timer fired; it also ends the pass, so that hosts take turns. */
    private boolean tickDue() {
      running = false;
      return tickScheduled;
    }

    Role role() {
      return node.basicStatus().softState().role();
    }
  }

  /** Delivers messages to the recipient's inbox, in order. */
  static final class Transport {
    private final long id;
    private final Map<Long, List<Message>> network;

    Transport(long id, Map<Long, List<Message>> network) {
      this.id = id;
      this.network = network;
    }

    List<Message> poll() {
      List<Message> inbox = network.computeIfAbsent(id, k -> new ArrayList<>());
      List<Message> received = new ArrayList<>(inbox);
      inbox.clear();
      return received;
    }

    void send(List<Message> messages) {
      for (Message m : messages) {
        network.computeIfAbsent(m.getTo(), k -> new ArrayList<>()).add(m);
      }
    }
  }

  /** Remembers what was saved: the last entry index, the hard state, the synced writes. */
  static final class Wal {
    long lastIndex;
    HardState hardState = HardState.getDefaultInstance();
    int syncs;

    void save(Snapshot snapshot, List<Entry> entries, HardState hs, boolean sync) {
      if (snapshot.getMetadata().getIndex() > 0) {
        lastIndex = snapshot.getMetadata().getIndex();
      }
      if (!entries.isEmpty()) {
        lastIndex = entries.get(entries.size() - 1).getIndex();
      }
      if (!hs.equals(HardState.getDefaultInstance())) {
        hardState = hs;
      }
      syncs += sync ? 1 : 0;
    }
  }

  /** Records the applied payloads and the latest configuration. */
  static final class StateMachine {
    final List<String> applied = new ArrayList<>();
    long appliedIndex;
    ConfState confState = ConfState.getDefaultInstance();

    void apply(long index, ByteString data) {
      appliedIndex = index;
      if (!data.isEmpty()) {
        applied.add(data.toStringUtf8());
      }
    }

    void restore(Snapshot snapshot) {
      throw new AssertionError("no snapshot is taken in this run: " + snapshot.getMetadata());
    }

    void saveConfState(ConfState cs) {
      confState = cs;
    }
  }

  @Test
  void theReadmeLoopElectsALeaderAndAppliesAProposalOnEveryNode() {
    Map<Long, List<Message>> network = new HashMap<>();
    Map<Long, Host> hosts = new TreeMap<>();
    for (long id = 1; id <= 3; id++) {
      hosts.put(id, Host.start(id, network));
    }
    runUntil(hosts, () -> leader(hosts) != null, "a leader is elected");
    leader(hosts).node.propose("hello".getBytes(StandardCharsets.UTF_8));
    runUntil(
        hosts,
        () -> hosts.values().stream().allMatch(h -> !h.stateMachine.applied.isEmpty()),
        "every node applies the proposal");

    for (var e : hosts.entrySet()) {
      Host h = e.getValue();
      String node = "node " + e.getKey();
      assertEquals(List.of("hello"), h.stateMachine.applied, node);
      assertEquals(List.of(1L, 2L, 3L), h.stateMachine.confState.getVotersList(), node);
      assertTrue(
          h.wal.lastIndex >= h.stateMachine.appliedIndex, node + ": applied only what was saved");
      assertTrue(h.wal.syncs > 0, node + ": entries and votes were synced");
      assertEquals(h.wal.hardState, h.storage.hardState(), node);
    }
  }

  /** Runs every host one pass per round, ticking every round, until {@code done} holds. */
  private static void runUntil(Map<Long, Host> hosts, BooleanSupplier done, String goal) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      if (done.getAsBoolean()) {
        return;
      }
      for (Host h : hosts.values()) {
        h.runOnePass(true);
      }
    }
    fail("not reached after " + MAX_ROUNDS + " rounds: " + goal);
  }

  private static Host leader(Map<Long, Host> hosts) {
    return hosts.values().stream().filter(h -> h.role() == Role.LEADER).findFirst().orElse(null);
  }

  // ---------------------------------------------------------------- README and code agree

  @Test
  void theReadmeShowsExactlyTheCodeThisTestRuns() throws IOException {
    List<String> regions = markedRegions(Files.readAllLines(THIS_FILE));
    List<String> blocks = javaBlocks(section(Files.readAllLines(README), SECTION));
    assertEquals(2, regions.size(), "marked regions in " + THIS_FILE);
    assertEquals(
        regions.size(), blocks.size(), "java blocks in the README section '" + SECTION + "'");
    for (int i = 0; i < regions.size(); i++) {
      assertEquals(
          regions.get(i),
          blocks.get(i),
          "README block "
              + (i + 1)
              + " differs from region "
              + (i + 1)
              + " of "
              + THIS_FILE.getFileName()
              + ": copy the code between the markers into the README");
    }
  }

  /** The lines of the README from the heading {@code title} to the next heading of its level. */
  private static List<String> section(List<String> lines, String title) {
    int start = lines.indexOf(title);
    assertTrue(start >= 0, "README has no section '" + title + "'");
    int end = start + 1;
    while (end < lines.size() && !lines.get(end).startsWith("## ")) {
      end++;
    }
    return lines.subList(start + 1, end);
  }

  private static List<String> javaBlocks(List<String> lines) {
    return between(lines, "```java", "```");
  }

  private static List<String> markedRegions(List<String> lines) {
    return between(lines, BEGIN, END);
  }

  /** The texts between lines equal (trimmed) to {@code open} and {@code close}, dedented. */
  private static List<String> between(List<String> lines, String open, String close) {
    List<String> texts = new ArrayList<>();
    List<String> current = null;
    for (String line : lines) {
      String trimmed = line.trim();
      if (current == null && trimmed.equals(open)) {
        current = new ArrayList<>();
      } else if (current != null && trimmed.equals(close)) {
        texts.add(dedent(current));
        current = null;
      } else if (current != null) {
        current.add(line);
      }
    }
    assertNull(current, "'" + open + "' without '" + close + "'");
    return texts;
  }

  private static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
    }
    return out.toString();
  }
}

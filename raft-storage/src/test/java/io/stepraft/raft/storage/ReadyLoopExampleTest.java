package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/storage.md, run: a one-node cluster handles its Readies with
 * DurableStorage, snapshots and compacts, stops, and restarts with its state. The page's example
 * must equal the code between the docs markers below.
 */
class ReadyLoopExampleTest {
  @TempDir Path dataDir;

  /** The application: a list of commands, snapshotted as text. */
  static final class Journal {
    final List<String> commands = new ArrayList<>();
    long applied;

    void apply(Entry e) {
      commands.add(e.getData().toStringUtf8());
    }

    ByteString snapshot() {
      return ByteString.copyFromUtf8(String.join("\n", commands));
    }

    void restore(ByteString data, long index) {
      commands.clear();
      if (!data.isEmpty()) {
        commands.addAll(List.of(data.toStringUtf8().split("\n", -1)));
      }
      applied = index;
    }
  }

  /** Runs node 1, proposing {@code proposals}, until its journal holds {@code wanted} commands. */
  static Journal runNode(Path dataDir, List<String> proposals, int wanted) {
    Journal journal = new Journal();
    List<Message> outbox = new ArrayList<>();
    int proposed = 0;
    // docs:begin
    StorageOptions options =
        StorageOptions.builder().metadata(ByteString.copyFromUtf8("node 1 of cluster 7")).build();
    try (DurableStorage storage = DurableStorage.open(dataDir, options)) {
      long snapshotIndex = storage.raftStorage().snapshot().getMetadata().getIndex();
      RawNode node =
          new RawNode(
              Config.builder()
                  .id(1)
                  .electionTicks(10)
                  .heartbeatTicks(1)
                  .storage(storage.raftStorage())
                  .applied(snapshotIndex)
                  .build());
      ConfState confState = storage.raftStorage().snapshot().getMetadata().getConfState();
      if (storage.isEmpty()) {
        node.bootstrap(List.of(new Peer(1, null))); // a brand-new node founds the cluster
      } else {
        journal.restore(storage.snapshotData(), snapshotIndex); // a restart
      }
      while (journal.commands.size() < wanted) {
        node.tick(); // 1. inputs: time, messages, proposals
        if (node.basicStatus().softState().lead() == 1 && proposed < proposals.size()) {
          node.propose(ByteString.copyFromUtf8(proposals.get(proposed++)));
        }
        if (!node.hasReady()) {
          continue;
        }
        Ready rd = node.ready(); // 2. take the work
        storage.save(rd); // 3. persist: durable and in raftStorage() on return
        outbox.addAll(rd.messages()); // 4. send, only now
        if (rd.hasSnapshot()) { // 5. apply
          journal.restore(rd.snapshot().getData(), rd.snapshot().getMetadata().getIndex());
        }
        for (Entry e : rd.committedEntries()) {
          if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
            journal.apply(e);
          } else if (e.getType() != EntryType.EntryNormal) {
            confState = node.applyConfChange(e);
          }
          journal.applied = e.getIndex();
        }
        node.advance(rd); // 6. advance
        long snapshotted = storage.raftStorage().snapshot().getMetadata().getIndex();
        if (journal.applied - snapshotted >= 100) { // snapshot every 100 entries, keep 20
          storage.createSnapshot(journal.applied, confState, journal.snapshot());
          storage.compact(journal.applied - 20);
        }
      }
    }
    // docs:end
    return journal;
  }

  @Test
  void theExampleRunsStopsAndRestartsWithItsState() {
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      first.add("cmd " + i);
    }
    Journal before = runNode(dataDir, first, 250);
    assertEquals(first, before.commands);
    // The restart restores the snapshot, applies the committed entries after it again, then the
    // new command.
    Journal after = runNode(dataDir, List.of("after restart"), 251);
    List<String> all = new ArrayList<>(first);
    all.add("after restart");
    assertEquals(all, after.commands);
  }

  @Test
  void thePageShowsTheCodeThatRuns() throws IOException {
    String page = Files.readString(Path.of("../docs/storage.md"), StandardCharsets.UTF_8);
    int section = page.indexOf("\n## A worked example");
    assertTrue(section >= 0, "docs/storage.md has a section '## A worked example'");
    int start = page.indexOf("```java\n", section) + "```java\n".length();
    String block = page.substring(start, page.indexOf("```\n", start));
    assertEquals(
        markedCode(Path.of("src/test/java/io/stepraft/raft/storage/ReadyLoopExampleTest.java")),
        block);
  }

  private static String markedCode(Path source) throws IOException {
    StringBuilder block = new StringBuilder();
    boolean in = false;
    int indent = 0;
    for (String line : Files.readString(source, StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.strip().equals("// docs:begin")) {
        in = true;
        indent = line.indexOf("//");
      } else if (line.strip().equals("// docs:end")) {
        in = false;
      } else if (in) {
        block.append(line.length() > indent ? line.substring(indent) : line.strip()).append('\n');
      }
    }
    return block.toString();
  }
}

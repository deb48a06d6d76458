package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real RawNodes over DurableStorage in one thread: messages are queued and delivered in order, each
 * Ready is handled by the book (save, send, apply, advance). The state machine is the list of
 * applied commands; a snapshot is that list, joined with newlines.
 */
final class RaftHarness implements AutoCloseable {
  final Path root;
  final StorageOptions options;
  final Map<Long, Node> nodes = new TreeMap<>();
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  private final long[] ids;
  private final java.util.function.LongFunction<FileIo> io;

  static final class Node {
    final long id;
    final DurableStorage storage;
    final RawNode raw;
    final List<String> applied = new ArrayList<>();
    long appliedIndex;
    ConfState confState = ConfState.getDefaultInstance();

    Node(long id, DurableStorage storage, RawNode raw) {
      this.id = id;
      this.storage = storage;
      this.raw = raw;
    }
  }

  RaftHarness(Path root, StorageOptions options, long... ids) {
    this(root, options, id -> FileIo.SYSTEM, ids);
  }

  RaftHarness(
      Path root, StorageOptions options, java.util.function.LongFunction<FileIo> io, long... ids) {
    this.root = root;
    this.options = options;
    this.io = io;
    this.ids = ids;
  }

  Path dir(long id) {
    return root.resolve("node-" + id);
  }

  /**
   * Opens the node's storage and starts a RawNode over it: bootstrapped when the storage is new.
   */
  Node start(long id) {
    DurableStorage ds = DurableStorage.open(dir(id), options, io.apply(id));
    long snapIndex = ds.raftStorage().snapshot().getMetadata().getIndex();
    RawNode raw =
        new RawNode(
            Config.builder()
                .id(id)
                .electionTicks(10)
                .heartbeatTicks(1)
                .storage(ds.raftStorage())
                .applied(snapIndex)
                .randomSeed(id)
                .build());
    Node n = new Node(id, ds, raw);
    if (ds.isEmpty()) {
      List<Peer> peers = new ArrayList<>();
      for (long p : ids) {
        peers.add(new Peer(p, null));
      }
      raw.bootstrap(peers);
    } else {
      n.appliedIndex = snapIndex;
      String data = ds.snapshotData().toStringUtf8();
      if (!data.isEmpty()) {
        n.applied.addAll(List.of(data.split("\n", -1)));
      }
      n.confState = ds.raftStorage().snapshot().getMetadata().getConfState();
    }
    nodes.put(id, n);
    return n;
  }

  void startAll() {
    for (long id : ids) {
      start(id);
    }
  }

  /** Drops the node and the messages to it without closing its storage; returns the node. */
  Node abandon(long id) {
    inFlight.removeIf(m -> m.getTo() == id);
    return nodes.remove(id);
  }

  /** Closes the node's storage, dropping the RawNode and messages to it. */
  void stop(long id) {
    Node n = nodes.remove(id);
    n.storage.close();
    inFlight.removeIf(m -> m.getTo() == id);
  }

  /** Handles Readies and delivers messages until nothing is left to do. */
  void settle() {
    for (int round = 0; round < 10_000; round++) {
      boolean busy = false;
      for (Node n : List.copyOf(nodes.values())) {
        while (n.raw.hasReady()) {
          handle(n, n.raw.ready());
          busy = true;
        }
      }
      while (!inFlight.isEmpty()) {
        Message m = inFlight.poll();
        Node to = nodes.get(m.getTo());
        if (to != null) {
          to.raw.step(m);
        }
        busy = true;
      }
      if (!busy) {
        return;
      }
    }
    throw new AssertionError("the cluster did not settle");
  }

  private void handle(Node n, Ready rd) {
    n.storage.save(rd);
    inFlight.addAll(rd.messages());
    if (rd.hasSnapshot()) {
      String data = rd.snapshot().getData().toStringUtf8();
      n.applied.clear();
      if (!data.isEmpty()) {
        n.applied.addAll(List.of(data.split("\n", -1)));
      }
      n.appliedIndex = rd.snapshot().getMetadata().getIndex();
      n.confState = rd.snapshot().getMetadata().getConfState();
    }
    for (Entry e : rd.committedEntries()) {
      if (e.getType() == EntryType.EntryNormal) {
        if (!e.getData().isEmpty()) {
          n.applied.add(e.getData().toStringUtf8());
        }
      } else {
        n.confState = n.raw.applyConfChange(e);
      }
      n.appliedIndex = e.getIndex();
    }
    n.raw.advance(rd);
  }

  long elect(long id) {
    settle();
    nodes.get(id).raw.campaign();
    settle();
    return id;
  }

  void propose(long id, String command) {
    nodes.get(id).raw.propose(ByteString.copyFromUtf8(command));
    settle();
  }

  /**
   * Snapshots node {@code id}'s applied state and compacts up to {@code keep} entries before it.
   */
  void snapshotAndCompact(long id, long keep) {
    Node n = nodes.get(id);
    n.storage.createSnapshot(
        n.appliedIndex, n.confState, ByteString.copyFromUtf8(String.join("\n", n.applied)));
    long compactTo = n.appliedIndex - keep;
    if (compactTo > n.storage.raftStorage().firstIndex()) {
      n.storage.compact(compactTo);
    }
  }

  @Override
  public void close() {
    for (long id : List.copyOf(nodes.keySet())) {
      stop(id);
    }
  }
}

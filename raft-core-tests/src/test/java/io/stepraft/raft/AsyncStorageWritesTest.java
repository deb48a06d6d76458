package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous storage writes, end to end: hosts persist and apply on "other threads" (queues
 * drained late and in random interleavings) and step the responses back in.
 */
class AsyncStorageWritesTest {
  private static final long APPEND_THREAD = -1L;
  private static final long APPLY_THREAD = -2L;

  /** One node whose storage work is queued and done later. */
  private static final class AsyncHost {
    final long id;
    final MemoryStorage storage = new MemoryStorage();
    final RawNode node;
    final ArrayDeque<Message> appendWork = new ArrayDeque<>();
    final ArrayDeque<Message> applyWork = new ArrayDeque<>();
    final List<String> applied = new ArrayList<>();
    long lastApplied;

    AsyncHost(long id, int n) {
      this.id = id;
      node = new RawNode(Config.builder().id(id).storage(storage).asyncStorageWrites(true).build());
      List<Peer> peers = new ArrayList<>();
      for (long p = 1; p <= n; p++) {
        peers.add(Peer.of(p));
      }
      node.bootstrap(peers);
    }
  }

  private final TreeMap<Long, AsyncHost> hosts = new TreeMap<>();
  private final ArrayDeque<Message> network = new ArrayDeque<>();
  private final SplittableRandom random = new SplittableRandom(7);

  private void cluster(int n) {
    for (long id = 1; id <= n; id++) {
      hosts.put(id, new AsyncHost(id, n));
    }
  }

  /** Collects Readies: peer messages to the network, storage work to each host's queues. */
  private void collect() {
    for (AsyncHost h : hosts.values()) {
      while (h.node.hasReady()) {
        Ready rd = h.node.ready();
        for (Message m : rd.messages()) {
          if (m.getTo() == APPEND_THREAD) {
            h.appendWork.add(m);
          } else if (m.getTo() == APPLY_THREAD) {
            h.applyWork.add(m);
          } else {
            network.add(m);
          }
        }
      }
    }
  }

  private void persist(AsyncHost h, Message m) {
    if (m.hasSnapshot()) {
      h.storage.applySnapshot(m.getSnapshot());
    }
    h.storage.append(m.getEntriesList());
    if (m.hasTerm() || m.hasVote() || m.hasCommit()) {
      h.storage.setHardState(
          HardState.newBuilder()
              .setTerm(m.getTerm())
              .setVote(m.getVote())
              .setCommit(m.getCommit())
              .build());
    }
    deliverResponses(h, m);
  }

  private void apply(AsyncHost h, Message m) {
    for (Entry e : m.getEntriesList()) {
      assertTrue(
          e.getIndex() == h.lastApplied + 1,
          "node " + h.id + " applies " + e.getIndex() + " after " + h.lastApplied);
      // Only durable entries are applied with async writes.
      assertTrue(
          e.getIndex() <= h.storage.lastIndex(),
          "entry " + e.getIndex() + " applied before it was persisted");
      h.lastApplied = e.getIndex();
      if (e.getType() == EntryType.EntryConfChange) {
        try {
          h.node.applyConfChange(ConfChange.parseFrom(e.getData()));
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      } else if (!e.getData().isEmpty()) {
        h.applied.add(e.getData().toStringUtf8());
      }
    }
    deliverResponses(h, m);
  }

  private void deliverResponses(AsyncHost h, Message m) {
    for (Message resp : m.getResponsesList()) {
      if (resp.getTo() == h.id) {
        h.node.step(resp);
      } else {
        network.add(resp);
      }
    }
  }

  /** Runs work in a random interleaving until everything is quiet. */
  private void run() {
    for (int i = 0; i < 100_000; i++) {
      collect();
      List<Runnable> choices = new ArrayList<>();
      if (!network.isEmpty()) {
        choices.add(
            () -> {
              Message m = network.poll();
              try {
                hosts.get(m.getTo()).node.step(m);
              } catch (RaftException e) {
                // dropped proposals are fine here
              }
            });
      }
      for (AsyncHost h : hosts.values()) {
        if (!h.appendWork.isEmpty()) {
          choices.add(() -> persist(h, h.appendWork.poll()));
        }
        if (!h.applyWork.isEmpty()) {
          choices.add(() -> apply(h, h.applyWork.poll()));
        }
      }
      if (choices.isEmpty()) {
        return;
      }
      choices.get(random.nextInt(choices.size())).run();
    }
    throw new AssertionError("did not quiesce");
  }

  @Test
  void asyncWritesElectReplicateAndApplyOnlyDurableEntries() {
    cluster(3);
    run();
    hosts.get(1L).node.campaign();
    run();
    assertEquals(Role.LEADER, hosts.get(1L).node.basicStatus().softState().role());
    for (int i = 0; i < 20; i++) {
      hosts.get(1L).node.propose(("v" + i).getBytes());
      if (i % 3 == 0) {
        run();
      }
    }
    run();
    for (AsyncHost h : hosts.values()) {
      assertEquals(20, h.applied.size(), "node " + h.id + " applied " + h.applied);
      assertEquals("v0", h.applied.get(0));
      assertEquals("v19", h.applied.get(19));
    }
  }

  @Test
  void readyCarriesStorageMessagesInsteadOfRequiringAdvance() {
    cluster(1);
    AsyncHost h = hosts.get(1L);
    Ready rd = h.node.ready();
    Message append =
        rd.messages().stream()
            .filter(m -> m.getType() == MessageType.MsgStorageAppend)
            .findFirst()
            .orElseThrow();
    assertEquals(
        1, append.getEntriesCount(), "the bootstrap entry is persisted by the append thread");
    assertTrue(
        append.getResponsesList().stream()
            .anyMatch(m -> m.getType() == MessageType.MsgStorageAppendResp));
    assertThrows(IllegalStateException.class, () -> h.node.advance(rd));
    // Nothing is applied before it is durable: no MsgStorageApply yet.
    assertTrue(rd.messages().stream().noneMatch(m -> m.getType() == MessageType.MsgStorageApply));
    assertTrue(rd.committedEntries().isEmpty());
  }

  @Test
  void singleNodeCommitsOnlyAfterItsAppendIsAcknowledged() {
    cluster(1);
    AsyncHost h = hosts.get(1L);
    run();
    h.node.campaign();
    run();
    assertEquals(Role.LEADER, h.node.basicStatus().softState().role());
    h.node.propose("x".getBytes());
    collect();
    // The entry is in the log but its write is not acknowledged yet: it cannot commit.
    assertTrue(h.node.basicStatus().hardState().getCommit() < h.node.raft().raftLog.lastIndex());
    assertEquals(1, h.appendWork.size());
    run();
    assertEquals(List.of("x"), h.applied);
  }

  @Test
  void staleAppendAcknowledgementAfterTermChangeMarksNothingStable() {
    cluster(3);
    run();
    hosts.get(1L).node.campaign();
    run();
    AsyncHost follower = hosts.get(2L);
    hosts.get(1L).node.propose("a".getBytes());
    collect();
    // Deliver the MsgApp to node 2 but hold its storage work.
    while (!network.isEmpty()) {
      Message m = network.poll();
      if (m.getTo() == 2) {
        follower.node.step(m);
      }
    }
    collect();
    Message pendingAppend = follower.appendWork.pollLast();
    // A higher term arrives before the write completes.
    follower.node.step(
        Message.newBuilder()
            .setType(MessageType.MsgHeartbeat)
            .setFrom(3)
            .setTo(2)
            .setTerm(follower.node.basicStatus().hardState().getTerm() + 1)
            .build());
    long lastIndexBefore = follower.node.raft().raftLog.unstable.offset;
    persist(follower, pendingAppend);
    // The stale acknowledgement was ignored: the unstable offset did not move.
    assertEquals(lastIndexBefore, follower.node.raft().raftLog.unstable.offset);
    assertEquals(
        ByteString.copyFromUtf8("a"),
        pendingAppend.getEntries(pendingAppend.getEntriesCount() - 1).getData());
  }
}

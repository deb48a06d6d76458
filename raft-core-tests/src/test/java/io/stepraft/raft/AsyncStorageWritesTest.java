package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.StepNode;
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
  private final TreeMap<Long, StepNode> hosts = new TreeMap<>();
  private final ArrayDeque<Message> network = new ArrayDeque<>();
  private final SplittableRandom random = new SplittableRandom(7);

  /**
   * Nodes 1..n with asynchronous writes, bootstrapped. A StepNode checks what the apply thread is
   * handed: the next index, and only entries already durable.
   */
  private void cluster(int n) {
    List<Peer> peers = new ArrayList<>();
    for (long p = 1; p <= n; p++) {
      peers.add(Peer.of(p));
    }
    for (long id = 1; id <= n; id++) {
      StepNode h =
          StepNode.of(
              Config.builder()
                  .id(id)
                  .storage(new MemoryStorage())
                  .asyncStorageWrites(true)
                  .build());
      h.raw().bootstrap(peers);
      hosts.put(id, h);
    }
  }

  /** Collects Readies: peer messages to the network, storage work to each host's queues. */
  private void collect() {
    for (StepNode h : hosts.values()) {
      network.addAll(h.handleReadies());
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
                hosts.get(m.getTo()).step(m);
              } catch (RaftException e) {
                // dropped proposals are fine here
              }
            });
      }
      for (StepNode h : hosts.values()) {
        if (!h.appendQueue().isEmpty()) {
          choices.add(() -> network.addAll(h.persist(h.appendQueue().poll())));
        }
        if (!h.applyQueue().isEmpty()) {
          choices.add(() -> network.addAll(h.apply(h.applyQueue().poll())));
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
    hosts.get(1L).raw().campaign();
    run();
    assertEquals(Role.LEADER, hosts.get(1L).role());
    for (int i = 0; i < 20; i++) {
      hosts.get(1L).raw().propose(("v" + i).getBytes());
      if (i % 3 == 0) {
        run();
      }
    }
    run();
    for (StepNode h : hosts.values()) {
      List<String> applied = h.appliedData();
      assertEquals(20, applied.size(), "node " + h.id() + " applied " + applied);
      assertEquals("v0", applied.get(0));
      assertEquals("v19", applied.get(19));
    }
  }

  @Test
  void readyCarriesStorageMessagesInsteadOfRequiringAdvance() {
    cluster(1);
    StepNode h = hosts.get(1L);
    Ready rd = h.raw().ready();
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
    assertThrows(IllegalStateException.class, () -> h.raw().advance(rd));
    // Nothing is applied before it is durable: no MsgStorageApply yet.
    assertTrue(rd.messages().stream().noneMatch(m -> m.getType() == MessageType.MsgStorageApply));
    assertTrue(rd.committedEntries().isEmpty());
  }

  @Test
  void singleNodeCommitsOnlyAfterItsAppendIsAcknowledged() {
    cluster(1);
    StepNode h = hosts.get(1L);
    run();
    h.raw().campaign();
    run();
    assertEquals(Role.LEADER, h.role());
    h.raw().propose("x".getBytes());
    collect();
    // The entry is in the log but its write is not acknowledged yet: it cannot commit.
    assertTrue(h.commit() < h.raw().raft().raftLog.lastIndex());
    assertEquals(1, h.appendQueue().size());
    run();
    assertEquals(List.of("x"), h.appliedData());
  }

  @Test
  void staleAppendAcknowledgementAfterTermChangeMarksNothingStable() {
    cluster(3);
    run();
    hosts.get(1L).raw().campaign();
    run();
    StepNode follower = hosts.get(2L);
    hosts.get(1L).raw().propose("a".getBytes());
    collect();
    // Deliver the MsgApp to node 2 but hold its storage work.
    while (!network.isEmpty()) {
      Message m = network.poll();
      if (m.getTo() == 2) {
        follower.step(m);
      }
    }
    collect();
    Message pendingAppend = follower.appendQueue().pollLast();
    // A higher term arrives before the write completes.
    follower.step(Messages.message(MessageType.MsgHeartbeat, 3, 2, follower.term() + 1).build());
    long lastIndexBefore = follower.raw().raft().raftLog.unstable.offset;
    network.addAll(follower.persist(pendingAppend));
    // The stale acknowledgement was ignored: the unstable offset did not move.
    assertEquals(lastIndexBefore, follower.raw().raft().raftLog.unstable.offset);
    assertEquals(
        ByteString.copyFromUtf8("a"),
        pendingAppend.getEntries(pendingAppend.getEntriesCount() - 1).getData());
  }
}

package io.stepraft.raft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: a {@link StepNode} refuses, loudly and naming the indexes, a Ready that would
 * roll its state machine back or skip entries, instead of quietly dropping what it applied. Raft
 * never produces such a Ready (it restores a snapshot only above its commit index and then hands
 * out committed entries only above the snapshot), so each test hands a node a real Ready that
 * another node legitimately produced at another point of its history.
 */
class StepNodeTest {
  /**
   * Five nodes, leader 1. Nodes 4 and 5 were cut off after the first write and missed three more.
   * Node 4 then caught up by entries ({@link #entriesFor4}: a Ready with committed entries up to
   * {@link #snapshotIndex} at most); the leader snapshotted at {@link #snapshotIndex} and
   * compacted; node 5 caught up from that snapshot ({@link #snapshotFor5}), and the others applied
   * one more write after it.
   */
  private static final class History {
    final StepCluster c = StepCluster.create(5);
    Ready entriesFor4;
    Ready snapshotFor5;
    long snapshotIndex;

    History() {
      c.campaign(1);
      c.propose(1, "a0");
      c.isolate(4);
      c.isolate(5);
      for (int i = 1; i <= 3; i++) {
        c.propose(1, "a" + i);
      }
      c.recover();
      c.isolate(5);
      entriesFor4 = catchUp(4, rd -> !rd.committedEntries().isEmpty());

      StepNode leader = c.node(1);
      snapshotIndex = leader.appliedIndex();
      leader
          .storage()
          .createSnapshot(snapshotIndex, leader.raw().status().config(), ByteString.EMPTY);
      leader.storage().compact(snapshotIndex);
      c.recover();
      List<Message> heldFor5 = c.hold(m -> m.getTo() == 5);
      c.propose(1, "a4");
      snapshotFor5 = catchUp(5, heldFor5, Ready::hasSnapshot);
      assertEquals(
          snapshotIndex,
          snapshotFor5.snapshot().getMetadata().getIndex(),
          "setup: node 5's snapshot");
      assertEquals(snapshotIndex, c.node(5).appliedIndex(), "setup: node 5 restored the snapshot");
      assertTrue(
          c.node(2).appliedIndex() > snapshotIndex,
          "setup: node 2 applied a write after the snapshot");
    }

    private Ready catchUp(long id, Predicate<Ready> wanted) {
      return catchUp(id, c.hold(m -> m.getTo() == id), wanted);
    }

    /**
     * Lets node {@code id} catch up, stepping in by hand the messages held back for it, until one
     * of its Readies is {@code wanted}; that Ready is handled as usual and returned.
     */
    private Ready catchUp(long id, List<Message> held, Predicate<Ready> wanted) {
      StepNode n = c.node(id);
      for (int round = 0; round < 100; round++) {
        List<Message> in = new ArrayList<>(held);
        held.clear();
        for (Message m : in) {
          n.raw().step(m);
        }
        if (!n.raw().hasReady()) {
          c.tickAll();
          continue;
        }
        Ready rd = n.raw().ready();
        c.send(n.handle(rd).toArray(new Message[0]));
        if (wanted.test(rd)) {
          return rd;
        }
      }
      throw new AssertionError("setup: node " + id + " produced no such Ready");
    }
  }

  @Test
  void committedEntriesAtOrBelowARestoredSnapshotFailLoudly() {
    History h = new History();
    List<Entry> stale = h.entriesFor4.committedEntries();
    long first = stale.get(0).getIndex();
    assertTrue(stale.get(stale.size() - 1).getIndex() <= h.snapshotIndex, "setup: " + stale);
    StepNode n5 = h.c.node(5);
    assertTrue(
        first > n5.applied().get(n5.applied().size() - 1).getIndex(),
        "setup: node 5 never applied these entries one by one");
    AssertionError e = assertThrows(AssertionError.class, () -> n5.handle(h.entriesFor4));
    assertTrue(
        e.getMessage().contains("committed entry " + first)
            && e.getMessage().contains("already holds index " + h.snapshotIndex)
            && e.getMessage().contains("roll the state machine back"),
        e.getMessage());
    assertEquals(h.snapshotIndex, n5.appliedIndex());
  }

  @Test
  void aSnapshotOlderThanWhatWasAppliedFailsLoudlyBeforeAnythingIsWritten() {
    History h = new History();
    StepNode n2 = h.c.node(2);
    long applied = n2.appliedIndex();
    List<Entry> appliedBefore = List.copyOf(n2.applied());
    long storageSnapshotBefore = n2.storage().snapshot().getMetadata().getIndex();
    assertTrue(
        storageSnapshotBefore < h.snapshotIndex,
        "setup: node 2's storage would accept the snapshot");
    AssertionError e = assertThrows(AssertionError.class, () -> n2.handle(h.snapshotFor5));
    assertTrue(
        e.getMessage().contains("snapshot at index " + h.snapshotIndex)
            && e.getMessage().contains("applied through index " + applied),
        e.getMessage());
    assertEquals(appliedBefore, n2.applied(), "the applied entries after the snapshot are kept");
    assertEquals(storageSnapshotBefore, n2.storage().snapshot().getMetadata().getIndex());
  }

  @Test
  void committedEntriesThatSkipAnIndexFailLoudly() {
    History h = new History();
    StepNode fresh =
        h.c.addNode(
            Config.builder()
                .id(6)
                .electionTicks(10)
                .heartbeatTicks(1)
                .storage(new MemoryStorage()));
    long first = h.entriesFor4.committedEntries().get(0).getIndex();
    assertFalse(first == 1, "setup: the entries start after index 1");
    AssertionError e = assertThrows(AssertionError.class, () -> fresh.handle(h.entriesFor4));
    assertTrue(
        e.getMessage().contains("entries 1.." + (first - 1) + " would never be applied"),
        e.getMessage());
  }
}

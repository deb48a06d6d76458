package io.stepraft.raft.asyncwrites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.Entries;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A single node with asynchronous storage writes that crashes in the middle of a write: it restarts
 * from what its storage made durable and carries on. The node is a {@link StepNode}: its storage
 * stands for the disk (only {@link StepNode#write} and {@link StepNode#persist} write to it), its
 * applied entries for a durable state machine that remembers the last index it applied, and {@link
 * StepNode#restart} for the crash. It checks what the apply thread is handed: the next index
 * (entries handed out again after a restart are skipped by index), and only entries already
 * durable.
 */
class AsyncWritesCrashRestartTest {
  private static StepNode bootstrapped() {
    StepNode n =
        StepNode.of(
            Config.builder().id(1).storage(new MemoryStorage()).asyncStorageWrites(true).build());
    n.raw().bootstrap(List.of(Peer.of(1)));
    return n;
  }

  /** Does all queued work, appends before applies, until quiet; a single node sends nothing. */
  private static void run(StepNode n) {
    List<Message> sent = n.drain();
    assertEquals(List.of(), sent, "a single node sends nothing to peers");
  }

  /** Takes every Ready: its storage work is queued, not done. */
  private static void collect(StepNode n) {
    List<Message> sent = n.handleReadies();
    assertEquals(List.of(), sent, "a single node sends nothing to peers");
  }

  private static void propose(StepNode n, String s) {
    n.raw().propose(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void elect(StepNode n) {
    n.raw().campaign();
    run(n);
    assertEquals(Role.LEADER, n.role());
  }

  private static long durableCommit(StepNode n) {
    return n.storage().initialState().hardState().getCommit();
  }

  private static StepNode leaderWithOneWrite() {
    StepNode h = bootstrapped();
    run(h);
    elect(h);
    propose(h, "a");
    run(h);
    assertEquals(List.of("a"), h.appliedData());
    return h;
  }

  @Test
  void crashBeforeTheAppendIsDurableLosesOnlyTheUnacknowledgedProposal() {
    StepNode h = leaderWithOneWrite();
    long lastIndexBefore = h.storage().lastIndex();
    propose(h, "lost");
    collect(h);
    assertEquals(1, h.appendQueue().size(), "the write is queued, not done");
    h.restart();
    assertEquals(lastIndexBefore, h.storage().lastIndex());
    assertEquals(Role.FOLLOWER, h.role());
    elect(h);
    propose(h, "b");
    run(h);
    assertEquals(
        List.of("a", "b"),
        h.appliedData(),
        "'lost' was never acknowledged, so losing it is allowed");
  }

  @Test
  void crashAfterTheAppendIsDurableButBeforeItsResponseCommitsTheEntryAfterRestart() {
    StepNode h = leaderWithOneWrite();
    propose(h, "durable");
    collect(h);
    h.write(h.appendQueue().poll());
    assertTrue(h.commit() < h.storage().lastIndex(), "not committed: no acknowledgement");
    h.restart();
    assertEquals(List.of("a"), h.appliedData());
    elect(h);
    assertEquals(
        List.of("a", "durable"), h.appliedData(), "committed with the new term's first entry");
    propose(h, "b");
    run(h);
    assertEquals(List.of("a", "durable", "b"), h.appliedData());
  }

  @Test
  void crashAfterApplyingAnEntryWhoseCommitIndexWasNotYetDurableRestartsFromEitherIndex() {
    StepNode h = leaderWithOneWrite();
    propose(h, "x");
    collect(h);
    assertEquals(List.of(), h.persist(h.appendQueue().poll())); // durable, acknowledged: commits
    collect(h);
    Message commitWrite = h.appendQueue().poll();
    assertTrue(
        commitWrite.hasCommit(), "the new commit index travels in the next MsgStorageAppend");
    assertEquals(MessageType.MsgStorageApply, h.applyQueue().peek().getType());
    h.apply(h.applyQueue().poll()); // the apply thread wins the race, then the process dies
    assertEquals(List.of("a", "x"), h.appliedData());
    long persistedCommit = durableCommit(h);
    long applied = h.appliedIndex();
    assertTrue(persistedCommit < applied, persistedCommit + " vs " + applied);

    h.restart(); // restarts with applied = the durable commit index
    // Only committed entries are applied, so restarting with the state machine's applied index
    // raises the unsynced commit index to it.
    RawNode restartedAtApplied =
        new RawNode(
            Config.builder()
                .id(1)
                .storage(h.storage())
                .asyncStorageWrites(true)
                .applied(applied)
                .build());
    assertEquals(applied, restartedAtApplied.basicStatus().hardState().getCommit());
    elect(h);
    propose(h, "y");
    run(h);
    assertEquals(
        List.of("a", "x", "y"),
        h.appliedData(),
        "x, handed out again from the durable commit index, is skipped by index: not applied"
            + " twice");
  }

  @Test
  void asyncFollowerRestoresASnapshotViaStorageAppendAndAppliesLaterEntriesAfterIt() {
    ConfState voters = ConfStates.voters(1, 2, 3);
    MemoryStorage storage =
        Storages.withEntries(
            Snapshots.snapshot(1, 1, voters), List.of(), HardState.getDefaultInstance());
    StepNode node =
        StepNode.of(Config.builder().id(2).storage(storage).asyncStorageWrites(true).build());
    node.step(
        Messages.message(MessageType.MsgSnap, 1, 2, 2)
            .setSnapshot(Snapshots.snapshot(20, 2, voters))
            .build(),
        Messages.message(MessageType.MsgApp, 1, 2, 2)
            .setIndex(20)
            .setLogTerm(2)
            .setCommit(21)
            .addEntries(Entries.entry(21, 2))
            .build());
    Ready rd = node.raw().ready();
    Message append =
        rd.messages().stream()
            .filter(m -> m.getType() == MessageType.MsgStorageAppend)
            .findFirst()
            .orElseThrow();
    assertEquals(20, append.getSnapshot().getMetadata().getIndex());
    assertEquals(1, append.getEntriesCount());
    assertTrue(
        rd.messages().stream().noneMatch(m -> m.getType() == MessageType.MsgStorageApply),
        "nothing is applied before the snapshot is durable");
    assertTrue(
        rd.messages().stream().noneMatch(m -> m.getTo() == 1),
        "acks wait for the write: " + rd.messages());
    List<Long> acks =
        append.getResponsesList().stream()
            .filter(m -> m.getTo() == 1)
            .map(Message::getIndex)
            .toList();
    assertEquals(
        List.of(20L, 21L), acks, "the leader hears of the snapshot and the entry once durable");

    node.handle(rd);
    assertEquals(List.of(append), List.copyOf(node.appendQueue()));
    node.persist(node.appendQueue().poll()); // the acknowledgements to the leader are not sent
    assertEquals(20, storage.snapshot().getMetadata().getIndex());
    assertEquals(21, storage.lastIndex());
    assertEquals(
        20,
        node.raw().basicStatus().applied(),
        "the snapshot counts as applied once its write is acknowledged");
    Ready next = node.raw().ready();
    Message apply =
        next.messages().stream()
            .filter(m -> m.getType() == MessageType.MsgStorageApply)
            .findFirst()
            .orElseThrow();
    assertEquals(List.of(21L), apply.getEntriesList().stream().map(Entry::getIndex).toList());
  }
}

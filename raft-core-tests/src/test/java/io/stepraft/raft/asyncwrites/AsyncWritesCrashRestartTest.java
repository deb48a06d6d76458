package io.stepraft.raft.asyncwrites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Role;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A single node with asynchronous storage writes that crashes in the middle of a write: it restarts
 * from what its storage made durable and carries on. {@link Disk} stands for the disk (only {@link
 * Host#persist} and applied configuration changes write to it); the applied payloads stand for a
 * durable state machine that remembers the last index it applied.
 */
class AsyncWritesCrashRestartTest {
  private static final long APPEND_THREAD = -1L;
  private static final long APPLY_THREAD = -2L;

  /**
   * The durable state: the log in a MemoryStorage, and the configuration as of the last applied
   * change, which {@link Storage#initialState()} must return (MemoryStorage alone only knows the
   * configuration of its snapshot).
   */
  private static final class Disk implements Storage {
    final MemoryStorage log = new MemoryStorage();
    ConfState confState = ConfState.getDefaultInstance();

    @Override
    public InitialState initialState() {
      return new InitialState(log.initialState().hardState(), confState);
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
      return log.entries(lo, hi, maxSizeBytes);
    }

    @Override
    public long term(long index) {
      return log.term(index);
    }

    @Override
    public long lastIndex() {
      return log.lastIndex();
    }

    @Override
    public long firstIndex() {
      return log.firstIndex();
    }

    @Override
    public Snapshot snapshot() {
      return log.snapshot();
    }
  }

  /** A host whose storage work is queued and done on demand, as by other threads. */
  private static final class Host {
    final Disk disk;
    final List<String> applied;
    long lastApplied;
    RawNode node;
    final ArrayDeque<Message> appendWork = new ArrayDeque<>();
    final ArrayDeque<Message> applyWork = new ArrayDeque<>();

    Host(Disk disk, List<String> applied, long lastApplied) {
      this.disk = disk;
      this.applied = applied;
      this.lastApplied = lastApplied;
      this.node = new RawNode(config(disk, Math.min(lastApplied, durableCommit(disk))));
    }

    static long durableCommit(Disk disk) {
      return disk.initialState().hardState().getCommit();
    }

    static Config config(Disk disk, long applied) {
      return Config.builder().id(1).storage(disk).asyncStorageWrites(true).applied(applied).build();
    }

    static Host bootstrapped() {
      Host h = new Host(new Disk(), new ArrayList<>(), 0);
      h.node.bootstrap(List.of(Peer.of(1)));
      return h;
    }

    /** Takes every Ready; a single node sends nothing to peers. */
    void collect() {
      while (node.hasReady()) {
        Ready rd = node.ready();
        for (Message m : rd.messages()) {
          if (m.getTo() == APPEND_THREAD) {
            appendWork.add(m);
          } else if (m.getTo() == APPLY_THREAD) {
            applyWork.add(m);
          } else {
            throw new AssertionError("single node sent " + m);
          }
        }
      }
    }

    /** Writes one MsgStorageAppend to the disk; the responses are stepped only if asked. */
    void persist(Message m, boolean respond) {
      disk.log.append(m.getEntriesList());
      if (m.hasTerm() || m.hasVote() || m.hasCommit()) {
        disk.log.setHardState(
            HardState.newBuilder()
                .setTerm(m.getTerm())
                .setVote(m.getVote())
                .setCommit(m.getCommit())
                .build());
      }
      if (respond) {
        m.getResponsesList().forEach(node::step);
      }
    }

    void apply(Message m) {
      for (Entry e : m.getEntriesList()) {
        if (e.getIndex() <= lastApplied) {
          continue; // re-delivered after a restart: the state machine already holds it
        }
        assertEquals(lastApplied + 1, e.getIndex(), "applied out of order");
        assertTrue(
            e.getIndex() <= disk.lastIndex(),
            "entry " + e.getIndex() + " applied before it was durable");
        lastApplied = e.getIndex();
        if (e.getType() == EntryType.EntryConfChange) {
          disk.confState = node.applyConfChange(parse(e));
        } else if (!e.getData().isEmpty()) {
          applied.add(e.getData().toStringUtf8());
        }
      }
      m.getResponsesList().forEach(node::step);
    }

    private static ConfChange parse(Entry e) {
      try {
        return ConfChange.parseFrom(e.getData());
      } catch (InvalidProtocolBufferException ex) {
        throw new AssertionError(ex);
      }
    }

    /** Does all queued work, appends before applies, until quiet. */
    void run() {
      for (int i = 0; i < 10_000; i++) {
        collect();
        if (!appendWork.isEmpty()) {
          persist(appendWork.poll(), true);
        } else if (!applyWork.isEmpty()) {
          apply(applyWork.poll());
        } else {
          return;
        }
      }
      throw new AssertionError("did not quiesce");
    }

    void propose(String s) {
      node.propose(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A crash: queued work is lost; a new node starts from the disk and the durable state machine.
     */
    Host crashAndRestart() {
      return new Host(disk, applied, lastApplied);
    }

    void elect() {
      node.campaign();
      run();
      assertEquals(Role.LEADER, node.basicStatus().softState().role());
    }
  }

  private static Host leaderWithOneWrite() {
    Host h = Host.bootstrapped();
    h.run();
    h.elect();
    h.propose("a");
    h.run();
    assertEquals(List.of("a"), h.applied);
    return h;
  }

  @Test
  void crashBeforeTheAppendIsDurableLosesOnlyTheUnacknowledgedProposal() {
    Host h = leaderWithOneWrite();
    long lastIndexBefore = h.disk.lastIndex();
    h.propose("lost");
    h.collect();
    assertEquals(1, h.appendWork.size(), "the write is queued, not done");
    Host r = h.crashAndRestart();
    assertEquals(lastIndexBefore, r.disk.lastIndex());
    assertEquals(Role.FOLLOWER, r.node.basicStatus().softState().role());
    r.elect();
    r.propose("b");
    r.run();
    assertEquals(
        List.of("a", "b"), r.applied, "'lost' was never acknowledged, so losing it is allowed");
  }

  @Test
  void crashAfterTheAppendIsDurableButBeforeItsResponseCommitsTheEntryAfterRestart() {
    Host h = leaderWithOneWrite();
    h.propose("durable");
    h.collect();
    h.persist(h.appendWork.poll(), false);
    assertTrue(
        h.node.basicStatus().hardState().getCommit() < h.disk.lastIndex(),
        "not committed: no acknowledgement");
    Host r = h.crashAndRestart();
    assertEquals(List.of("a"), r.applied);
    r.elect();
    assertEquals(List.of("a", "durable"), r.applied, "committed with the new term's first entry");
    r.propose("b");
    r.run();
    assertEquals(List.of("a", "durable", "b"), r.applied);
  }

  @Test
  void crashAfterApplyingAnEntryWhoseCommitIndexWasNotYetDurableRestartsFromEitherIndex() {
    Host h = leaderWithOneWrite();
    h.propose("x");
    h.collect();
    h.persist(h.appendWork.poll(), true); // the entry is durable and acknowledged: it commits
    h.collect();
    Message commitWrite = h.appendWork.poll();
    assertTrue(
        commitWrite.hasCommit(), "the new commit index travels in the next MsgStorageAppend");
    assertEquals(MessageType.MsgStorageApply, h.applyWork.peek().getType());
    h.apply(h.applyWork.poll()); // the apply thread wins the race, then the process dies
    assertEquals(List.of("a", "x"), h.applied);
    long persistedCommit = Host.durableCommit(h.disk);
    assertTrue(persistedCommit < h.lastApplied, persistedCommit + " vs " + h.lastApplied);

    // Only committed entries are applied, so restarting with the state machine's applied index
    // raises the unsynced commit index to it.
    RawNode restartedAtApplied = new RawNode(Host.config(h.disk, h.lastApplied));
    assertEquals(h.lastApplied, restartedAtApplied.basicStatus().hardState().getCommit());
    Host r = h.crashAndRestart(); // restarts with applied = the durable commit index
    r.elect();
    r.propose("y");
    r.run();
    assertEquals(
        List.of("a", "x", "y"),
        r.applied,
        "x, handed out again from the durable commit index, is skipped by index: not applied"
            + " twice");
  }

  @Test
  void asyncFollowerRestoresASnapshotViaStorageAppendAndAppliesLaterEntriesAfterIt() {
    MemoryStorage storage = new MemoryStorage();
    ConfState voters = ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();
    storage.applySnapshot(
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(1).setTerm(1).setConfState(voters))
            .build());
    RawNode node =
        new RawNode(Config.builder().id(2).storage(storage).asyncStorageWrites(true).build());
    Snapshot snap =
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setIndex(20).setTerm(2).setConfState(voters))
            .build();
    node.step(
        Message.newBuilder()
            .setType(MessageType.MsgSnap)
            .setFrom(1)
            .setTo(2)
            .setTerm(2)
            .setSnapshot(snap)
            .build());
    node.step(
        Message.newBuilder()
            .setType(MessageType.MsgApp)
            .setFrom(1)
            .setTo(2)
            .setTerm(2)
            .setIndex(20)
            .setLogTerm(2)
            .setCommit(21)
            .addEntries(Entry.newBuilder().setIndex(21).setTerm(2))
            .build());
    Ready rd = node.ready();
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

    storage.applySnapshot(append.getSnapshot());
    storage.append(append.getEntriesList());
    for (Message resp : append.getResponsesList()) {
      if (resp.getTo() == 2 || resp.getTo() == APPEND_THREAD) {
        node.step(resp);
      }
    }
    assertEquals(
        20,
        node.basicStatus().applied(),
        "the snapshot counts as applied once its write is acknowledged");
    Ready next = node.ready();
    Message apply =
        next.messages().stream()
            .filter(m -> m.getType() == MessageType.MsgStorageApply)
            .findFirst()
            .orElseThrow();
    assertEquals(List.of(21L), apply.getEntriesList().stream().map(Entry::getIndex).toList());
  }
}

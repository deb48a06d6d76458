package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Ready;
import io.stepraft.raft.Storage;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node's storage thread, with asynchronous storage writes (etcd raft's design): it takes each
 * Ready's MsgStorageAppend in order, saves the Ready to the {@link NodeStorage}, and only then
 * delivers the message's responses: those to peers it sends itself, those to the node (its own
 * MsgAppResp, the MsgStorageAppendResp) it hands back as a {@link Done} for the node's thread to
 * step. So the leader's write runs while its MsgApp is on its way and the followers write theirs.
 *
 * <p>Once started, this thread alone touches the {@link NodeStorage}: raft on the node's thread
 * reads a copy in memory ({@link MirrorLog}) that the node's thread brings up to date with each
 * {@link Done} before it steps the responses. Snapshots and compaction of the node's storage come
 * through here too, in order with the writes.
 *
 * <p>A crash stops the thread between two tasks, or after a save and before its responses: what was
 * saved stays, nothing unsaved is acknowledged.
 */
final class StorageWriter {
  /** A write made durable, for the node's thread to finish. */
  record Done(Ready ready, Message append, List<Long> unreachable) {}

  private sealed interface Task {}

  private record Write(Ready ready, Message append) implements Task {}

  private record Snapshot(long index, ConfState confState, ByteString data, long compactIndex)
      implements Task {}

  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final long id;
  private final NodeStorage storage;
  private final Network network;
  private final ClusterNode node;
  private final LocalCluster cluster;
  private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private final Wakeup wakeup = new Wakeup(0);
  private final Receivers receivers = new Receivers();
  private final Thread thread;
  private volatile boolean stopping;

  StorageWriter(
      String name,
      long id,
      NodeStorage storage,
      Network network,
      ClusterNode node,
      LocalCluster c) {
    this.id = id;
    this.storage = storage;
    this.network = network;
    this.node = node;
    this.cluster = c;
    this.thread = new Thread(this::run, name + "-storage-" + id);
    thread.setDaemon(true);
    wakeup.bind(thread);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues the write of {@code ready}, whose MsgStorageAppend is {@code append}. The node's thread
   * bounds how many it keeps in flight.
   */
  void write(Ready ready, Message append) {
    tasks.add(new Write(ready, append));
    wakeup.signal();
  }

  /**
   * Queues a snapshot of the state machine as of {@code index}, then (if {@code compactIndex} is
   * above 0) compaction; both are skipped if a snapshot received from the leader got there first.
   */
  void snapshot(long index, ConfState confState, ByteString data, long compactIndex) {
    tasks.add(new Snapshot(index, confState, data, compactIndex));
    wakeup.signal();
  }

  /** The next write made durable, or null. Called by the node's thread. */
  Done poll() {
    return done.poll();
  }

  /**
   * Stops the thread after the task it is doing and waits for it; queued tasks are dropped, as a
   * crash drops them. Called by the node's thread as it exits.
   */
  void stop(long timeoutNanos) throws InterruptedException {
    stopping = true;
    wakeup.signal();
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    if (thread.isAlive()) {
      throw new IllegalStateException("node " + id + "'s storage thread did not stop");
    }
  }

  private void run() {
    try {
      while (!stopping) {
        Task t = tasks.poll();
        if (t == null) {
          wakeup.await(IDLE_PARK_NANOS);
        } else if (t instanceof Write w) {
          storage.save(w.ready);
          if (stopping) {
            return; // a crash after the write, before the acknowledgements
          }
          deliver(w);
        } else if (t instanceof Snapshot s) {
          snapshot(s);
        }
      }
    } catch (Throwable e) {
      cluster.nodeFailed(id, e);
      node.stop();
    }
  }

  private void deliver(Write w) {
    List<Long> unreachable = List.of();
    long now = System.nanoTime();
    for (Message resp : w.append.getResponsesList()) {
      long to = resp.getTo();
      if (to == id) {
        continue; // stepped by the node's thread
      }
      Network.Outcome outcome = network.send(id, resp, now);
      if (outcome == Network.Outcome.SENT) {
        receivers.add(to);
      } else if (outcome == Network.Outcome.UNREACHABLE) {
        unreachable = unreachable.isEmpty() ? new ArrayList<>() : unreachable;
        unreachable.add(to);
      }
    }
    receivers.wakeAll(network);
    done.add(new Done(w.ready, w.append, unreachable));
    node.wake();
  }

  private void snapshot(Snapshot s) {
    Storage log = storage.raftStorage();
    if (s.index <= log.snapshot().getMetadata().getIndex()) {
      return; // a newer snapshot from the leader was saved meanwhile
    }
    storage.createSnapshot(s.index, s.confState, s.data);
    if (s.compactIndex >= log.firstIndex()) {
      storage.compact(s.compactIndex);
    }
  }
}

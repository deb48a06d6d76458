package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ProposalDroppedException;
import io.stepraft.raft.ReadIndexDroppedException;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The node's API for the HTTP layer, callable from any thread: each call queues a task for the raft
 * thread and returns a future that the raft thread completes (or fails with a {@link KvException}).
 */
final class KvNode {
  private final RaftLoop loop;

  KvNode(RaftLoop loop) {
    this.loop = loop;
  }

  NodeView view() {
    return loop.view();
  }

  CompletableFuture<KvStateMachine.Outcome> put(String key, ByteString value) {
    return submit(
        (l, f) -> {
          checkQuota(l, key, value);
          propose(l, f, Command.put(l.newRequestId(), key, value));
        });
  }

  CompletableFuture<KvStateMachine.Outcome> delete(String key) {
    return submit((l, f) -> propose(l, f, Command.delete(l.newRequestId(), key)));
  }

  CompletableFuture<KvStateMachine.Outcome> compareAndSet(
      String key, ByteString expected, ByteString value) {
    return submit(
        (l, f) -> {
          checkQuota(l, key, value);
          propose(l, f, Command.cas(l.newRequestId(), key, expected, value));
        });
  }

  /** A linearizable read (ReadIndex), or a local one when {@code serializable}. */
  CompletableFuture<Optional<ByteString>> get(String key, boolean serializable) {
    return submit(
        (l, f) -> {
          if (serializable) {
            f.complete(Optional.ofNullable(l.stateMachine().get(key)));
            return;
          }
          checkRoom(l);
          long id = l.newRequestId();
          l.requests().addRead(id, key, f, l.deadlineTick());
          try {
            l.node().readIndex(Requests.contextOf(id));
          } catch (ReadIndexDroppedException e) {
            l.requests().readDropped(Requests.contextOf(id), "no leader known: " + e.getMessage());
          }
        });
  }

  /** Adds a voter or learner; completes with the new configuration once applied here. */
  CompletableFuture<ConfState> addMember(long id, String peerAddress, boolean learner) {
    return submit(
        (l, f) -> {
          ConfState cs = l.confState();
          if (cs.getVotersList().contains(id) || cs.getLearnersList().contains(id)) {
            throw new KvException(409, "node " + id + " is already a member");
          }
          ConfChangeType type =
              learner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode;
          proposeChange(l, f, type, id, peerAddress);
        });
  }

  CompletableFuture<ConfState> promote(long id) {
    return submit(
        (l, f) -> {
          if (!l.confState().getLearnersList().contains(id)) {
            throw new KvException(409, "node " + id + " is not a learner");
          }
          String address = l.stateMachine().members().getOrDefault(id, "");
          proposeChange(l, f, ConfChangeType.ConfChangeAddNode, id, address);
        });
  }

  CompletableFuture<ConfState> removeMember(long id) {
    return submit(
        (l, f) -> {
          ConfState cs = l.confState();
          if (!cs.getVotersList().contains(id) && !cs.getLearnersList().contains(id)) {
            throw new KvException(404, "node " + id + " is not a member");
          }
          proposeChange(l, f, ConfChangeType.ConfChangeRemoveNode, id, "");
        });
  }

  /** Moves leadership to {@code id}; completes with the new leader once this node knows it. */
  CompletableFuture<Long> transferLeader(long id) {
    return submit(
        (l, f) -> {
          if (!l.confState().getVotersList().contains(id)) {
            throw new KvException(409, "node " + id + " is not a voter");
          }
          if (l.softState().lead() == 0) {
            throw KvException.unavailable("no leader known");
          }
          if (l.softState().lead() == id) {
            f.complete(id);
            return;
          }
          checkRoom(l);
          l.requests().addTransfer(id, f, l.deadlineTick());
          l.node().transferLeader(id);
        });
  }

  /** Clears the quota alarm; the next write over the quota raises it again. */
  CompletableFuture<Boolean> clearAlarms() {
    return submit(
        (l, f) -> {
          boolean was = l.quotaAlarm();
          l.setQuotaAlarm(false);
          f.complete(was);
        });
  }

  /** A backup of this node's state machine at its applied index. */
  CompletableFuture<BackupFile> backup() {
    return submit(
        (l, f) -> f.complete(new BackupFile(l.appliedIndex(), l.stateMachine().snapshot())));
  }

  /** The node's view of the cluster, as JSON; on the leader with every follower's progress. */
  CompletableFuture<String> clusterJson() {
    return submit((l, f) -> f.complete(ClusterJson.of(l)));
  }

  private static void propose(RaftLoop l, CompletableFuture<KvStateMachine.Outcome> f, Command c) {
    checkRoom(l);
    l.requests().addWrite(c.requestId(), f, l.deadlineTick());
    try {
      l.node().propose(c.encode());
    } catch (ProposalDroppedException e) {
      l.requests().failWrite(c.requestId(), dropped(e));
    }
  }

  private static void proposeChange(
      RaftLoop l, CompletableFuture<ConfState> f, ConfChangeType type, long id, String address) {
    checkRoom(l);
    long requestId = l.newRequestId();
    CompletableFuture<KvStateMachine.Outcome> applied = new CompletableFuture<>();
    applied.whenComplete(
        (o, e) -> {
          if (e != null) {
            f.completeExceptionally(e);
          } else {
            f.complete(l.confState()); // completed on the raft thread, right after the change
          }
        });
    l.requests().addWrite(requestId, applied, l.deadlineTick());
    ByteString context = new MemberContext(requestId, address).encode();
    try {
      l.node()
          .proposeConfChange(
              ConfChange.newBuilder().setType(type).setNodeId(id).setContext(context).build());
    } catch (ProposalDroppedException e) {
      l.requests().failWrite(requestId, dropped(e));
    }
  }

  /**
   * Refuses a write while the quota alarm is on, and raises the alarm for a write that would take
   * the data past {@code --quota-bytes}. Deletes are always accepted: they free space.
   */
  private static void checkQuota(RaftLoop l, String key, ByteString value) {
    long quota = l.settings().quotaBytes();
    if (quota == 0) {
      return;
    }
    if (!l.quotaAlarm() && l.stateMachine().dataBytes() + key.length() + value.size() > quota) {
      l.setQuotaAlarm(true);
    }
    if (l.quotaAlarm()) {
      throw new KvException(
          507,
          "quota alarm: the store holds "
              + l.stateMachine().dataBytes()
              + " bytes of "
              + quota
              + " allowed; delete keys, then DELETE /cluster/alarms");
    }
  }

  private static KvException dropped(ProposalDroppedException e) {
    return KvException.refused("proposal dropped (" + e.reason() + "): " + e.getMessage());
  }

  private static void checkRoom(RaftLoop l) {
    if (l.requests().full()) {
      throw KvException.refused("too many requests in flight; retry later");
    }
    if (l.softState().lead() == 0) {
      throw KvException.refused("no leader known");
    }
  }

  private <T> CompletableFuture<T> submit(BiConsumer<RaftLoop, CompletableFuture<T>> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    boolean queued =
        loop.submit(
            l -> {
              try {
                task.accept(l, f);
              } catch (KvException e) {
                f.completeExceptionally(e);
              } catch (RuntimeException e) {
                // A refused input (RaftException) or a bug: the client learns it, the node goes on.
                f.completeExceptionally(new KvException(500, "request failed: " + e));
              }
            });
    if (!queued) {
      f.completeExceptionally(KvException.refused("node is busy or stopping; retry later"));
    }
    return f;
  }
}

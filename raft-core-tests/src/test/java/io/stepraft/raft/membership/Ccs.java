package io.stepraft.raft.membership;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.Messages;
import io.stepraft.raft.testing.Snapshots;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import io.stepraft.raft.testing.Storages;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Short names for the change types, nodes restored from a configuration, and small queries used by
 * the membership scenarios; the changes themselves come from the kit's {@code ConfChanges}.
 */
final class Ccs {
  private Ccs() {}

  static final ConfChangeType ADD = ConfChangeType.ConfChangeAddNode;
  static final ConfChangeType REMOVE = ConfChangeType.ConfChangeRemoveNode;
  static final ConfChangeType LEARNER = ConfChangeType.ConfChangeAddLearnerNode;

  /** Node {@code id} restored from a snapshot at index 1, term 1 holding {@code cs}. */
  static StepNode restored(long id, ConfState cs) {
    return restored(id, cs, List.of(), HardState.getDefaultInstance(), b -> b);
  }

  /**
   * Node {@code id} restored from a snapshot at index 1, term 1 holding {@code cs}, with {@code
   * ents} after it and {@code hs}.
   */
  static StepNode restored(
      long id, ConfState cs, List<Entry> ents, HardState hs, UnaryOperator<Config.Builder> tweak) {
    MemoryStorage s = Storages.withEntries(Snapshots.snapshot(1, 1, cs), ents, hs);
    return StepNode.of(tweak.apply(Config.builder().id(id).storage(s)).build());
  }

  /** Steps a message from {@code from} of type {@code type} at the node's current term. */
  static void stepFrom(StepNode n, long from, MessageType type, long index) {
    n.step(Messages.message(type, from, n.id(), n.term()).setIndex(index).build());
  }

  /** The ids the messages of this type go to, in order. */
  static List<Long> recipients(List<Message> msgs, MessageType type) {
    return Messages.ofType(msgs, type).stream().map(Message::getTo).toList();
  }

  /** Proposes a v1 change on {@code id} and lets the cluster settle. */
  static void propose(StepCluster c, long id, ConfChange cc) {
    c.node(id).raw().proposeConfChange(cc);
    c.stabilize();
  }

  /** Proposes a v2 change on {@code id} and lets the cluster settle. */
  static void propose(StepCluster c, long id, ConfChangeV2 cc) {
    c.node(id).raw().proposeConfChange(cc);
    c.stabilize();
  }

  /** The node's last stored entry. */
  static Entry lastEntry(StepNode n) {
    List<Entry> log = n.log();
    return log.get(log.size() - 1);
  }

  /** Whether the entry is the empty normal entry a refused change is replaced with. */
  static boolean isEmptyNormal(Entry e) {
    return e.getType() == EntryType.EntryNormal && e.getData().isEmpty();
  }
}

package io.stepraft.raft.membership;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;

/** Builders for configuration changes and small queries used by the membership scenarios. */
final class Ccs {
  private Ccs() {}

  static final ConfChangeType ADD = ConfChangeType.ConfChangeAddNode;
  static final ConfChangeType REMOVE = ConfChangeType.ConfChangeRemoveNode;
  static final ConfChangeType LEARNER = ConfChangeType.ConfChangeAddLearnerNode;

  /** A v1 change. */
  static ConfChange v1(ConfChangeType type, long id) {
    return ConfChange.newBuilder().setType(type).setNodeId(id).build();
  }

  /** One single change of a v2 change. */
  static ConfChangeSingle single(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  /** A v2 change with the given transition and changes. */
  static ConfChangeV2 v2(ConfChangeTransition transition, ConfChangeSingle... changes) {
    return ConfChangeV2.newBuilder()
        .setTransition(transition)
        .addAllChanges(List.of(changes))
        .build();
  }

  /** A v2 change with the automatic transition. */
  static ConfChangeV2 auto(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionAuto, changes);
  }

  /** A v2 change that enters a joint configuration and stays there until told to leave. */
  static ConfChangeV2 explicit(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, changes);
  }

  /** A v2 change that enters a joint configuration and leaves it automatically. */
  static ConfChangeV2 implicit(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, changes);
  }

  /** The empty v2 change: leaves a joint configuration. */
  static ConfChangeV2 leaveJoint() {
    return ConfChangeV2.getDefaultInstance();
  }

  /** A ConfState with these voters. */
  static ConfState voters(long... ids) {
    ConfState.Builder b = ConfState.newBuilder();
    for (long id : ids) {
      b.addVoters(id);
    }
    return b.build();
  }

  /** The config of a fresh, un-bootstrapped node of the harness's timing. */
  static Config.Builder fresh(long id) {
    return Config.builder().id(id).electionTicks(10).heartbeatTicks(1).storage(new MemoryStorage());
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

  /** The node's stored log after its first index (the dummy entry excluded). */
  static List<Entry> log(StepNode n) {
    MemoryStorage s = n.storage();
    return new ArrayList<>(s.entries(s.firstIndex(), s.lastIndex() + 1, Long.MAX_VALUE));
  }

  /** The node's last stored entry. */
  static Entry lastEntry(StepNode n) {
    List<Entry> log = log(n);
    return log.get(log.size() - 1);
  }

  /** Whether the entry is the empty normal entry a refused change is replaced with. */
  static boolean isEmptyNormal(Entry e) {
    return e.getType() == EntryType.EntryNormal && e.getData().isEmpty();
  }
}

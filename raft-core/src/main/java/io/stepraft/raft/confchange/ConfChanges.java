package io.stepraft.raft.confchange;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import java.util.List;
import java.util.TreeSet;

/** Conversions and predicates over the wire forms of configuration changes. */
public final class ConfChanges {
  private ConfChanges() {}

  /** A v1 change as the equivalent v2 change: one single change, automatic transition. */
  public static ConfChangeV2 toV2(ConfChange cc) {
    ConfChangeV2.Builder b =
        ConfChangeV2.newBuilder()
            .addChanges(
                ConfChangeSingle.newBuilder().setType(cc.getType()).setNodeId(cc.getNodeId()));
    if (cc.hasContext()) {
      b.setContext(cc.getContext());
    }
    return b.build();
  }

  /** Decodes the change carried by a configuration-change entry as a v2 change. */
  public static ConfChangeV2 decode(Entry e) throws InvalidProtocolBufferException {
    if (e.getType() == EntryType.EntryConfChange) {
      return toV2(ConfChange.parseFrom(e.getData()));
    }
    if (e.getType() == EntryType.EntryConfChangeV2) {
      return ConfChangeV2.parseFrom(e.getData());
    }
    throw new IllegalArgumentException(
        "entry " + e.getIndex() + " of type " + e.getType() + " is not a configuration change");
  }

  /** Whether the change is the empty one that leaves a joint configuration. */
  public static boolean leavesJoint(ConfChangeV2 cc) {
    return cc.getChangesCount() == 0
        && cc.getTransition() == ConfChangeTransition.ConfChangeTransitionAuto;
  }

  /**
   * Whether the change must go through a joint configuration: it asks for one explicitly, or it
   * changes more than one node.
   */
  public static boolean entersJoint(ConfChangeV2 cc) {
    return cc.getTransition() != ConfChangeTransition.ConfChangeTransitionAuto
        || cc.getChangesCount() > 1;
  }

  /** Whether a joint configuration entered by this change is left automatically. */
  public static boolean autoLeave(ConfChangeV2 cc) {
    return cc.getTransition() == ConfChangeTransition.ConfChangeTransitionAuto
        || cc.getTransition() == ConfChangeTransition.ConfChangeTransitionJointImplicit;
  }

  /**
   * Checks that two configurations hold the same members in the same roles (order aside).
   *
   * @throws IllegalStateException naming both when they differ
   */
  public static void checkEquivalent(ConfState expected, ConfState actual) {
    if (!sameSet(expected.getVotersList(), actual.getVotersList())
        || !sameSet(expected.getLearnersList(), actual.getLearnersList())
        || !sameSet(expected.getVotersOutgoingList(), actual.getVotersOutgoingList())
        || !sameSet(expected.getLearnersNextList(), actual.getLearnersNextList())
        || expected.getAutoLeave() != actual.getAutoLeave()) {
      throw new IllegalStateException(
          "configuration " + describe(actual) + " is not equivalent to " + describe(expected));
    }
  }

  private static boolean sameSet(List<Long> a, List<Long> b) {
    return new TreeSet<>(a).equals(new TreeSet<>(b));
  }

  /** A one-line description of a ConfState. */
  public static String describe(ConfState cs) {
    return "voters="
        + cs.getVotersList()
        + " learners="
        + cs.getLearnersList()
        + " outgoing="
        + cs.getVotersOutgoingList()
        + " learnersNext="
        + cs.getLearnersNextList()
        + " autoLeave="
        + cs.getAutoLeave();
  }
}

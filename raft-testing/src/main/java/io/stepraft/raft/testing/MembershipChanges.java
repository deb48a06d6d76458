package io.stepraft.raft.testing;

import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import java.util.List;

/**
 * Configuration changes to propose, or to write into a log by hand with {@link Entries#confChange}:
 * the old single-change encoding ({@link #v1}) and the current one ({@link #auto}, {@link
 * #explicit}, {@link #implicit}, {@link #leaveJoint}).
 */
public final class MembershipChanges {
  private MembershipChanges() {}

  /**
   * A change in the old, single-change encoding.
   *
   * @param type what to do with the node
   * @param id the node
   * @return the change
   */
  public static ConfChange v1(ConfChangeType type, long id) {
    return ConfChange.newBuilder().setType(type).setNodeId(id).build();
  }

  /**
   * One step of a change in the current encoding.
   *
   * @param type what to do with the node
   * @param id the node
   * @return the step
   */
  public static ConfChangeSingle single(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  /**
   * A change in the current encoding.
   *
   * @param transition how the change enters and leaves a joint configuration
   * @param changes its steps, in order
   * @return the change
   */
  public static ConfChangeV2 v2(ConfChangeTransition transition, ConfChangeSingle... changes) {
    return ConfChangeV2.newBuilder()
        .setTransition(transition)
        .addAllChanges(List.of(changes))
        .build();
  }

  /**
   * A change with the automatic transition: applied at once if it changes at most one voter,
   * otherwise through a joint configuration that is left automatically.
   *
   * @param changes its steps, in order
   * @return the change
   */
  public static ConfChangeV2 auto(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionAuto, changes);
  }

  /**
   * A change that enters a joint configuration and stays there until {@link #leaveJoint} is
   * proposed.
   *
   * @param changes its steps, in order
   * @return the change
   */
  public static ConfChangeV2 explicit(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionJointExplicit, changes);
  }

  /**
   * A change that enters a joint configuration, which the leader leaves automatically.
   *
   * @param changes its steps, in order
   * @return the change
   */
  public static ConfChangeV2 implicit(ConfChangeSingle... changes) {
    return v2(ConfChangeTransition.ConfChangeTransitionJointImplicit, changes);
  }

  /**
   * The empty change in the current encoding, which leaves a joint configuration.
   *
   * @return the change
   */
  public static ConfChangeV2 leaveJoint() {
    return ConfChangeV2.getDefaultInstance();
  }
}

package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.ConfState;

/**
 * The operator's side of membership changes, as with etcd's {@code member add} and {@code member
 * remove}: a node is started when a configuration that adds it commits, and a removed node is shut
 * down once every member has applied its removal. A node added again restarts from its old disk.
 */
final class Membership {
  private final World w;

  /**
   * By id: the index of the committed configuration that removed the node, 0 if a member or never
   * one.
   */
  private final long[] removedAt;

  Membership(World w) {
    this.w = w;
    this.removedAt = new long[w.nodes.length];
  }

  /** Starts the nodes a committed configuration adds; marks those it removes for retirement. */
  void onCommitted(ConfState prev, ConfState cs, long index) {
    for (int id = 1; id < w.nodes.length; id++) {
      if (World.isMember(cs, id)) {
        removedAt[id] = 0;
        w.ensureRunning(w.nodes[id]);
      } else if (prev != null && World.isMember(prev, id)) {
        removedAt[id] = index;
      }
    }
  }

  /**
   * Shuts down each removed node once every member (but one lost to damaged storage) has applied
   * its removal. Stopping it as soon as the removal commits could leave the others in a joint
   * configuration that still needs it, before they learn that the change committed; etcd's server
   * likewise stops a removed member only after a delay.
   */
  void retireRemoved() {
    for (int id = 1; id < w.nodes.length; id++) {
      if (removedAt[id] > 0
          && w.nodes[id].status != SimNode.Status.STOPPED
          && everyMemberApplied(removedAt[id])) {
        w.stop(w.nodes[id]);
      }
    }
  }

  private boolean everyMemberApplied(long index) {
    ConfState cs = w.history.latestConfig();
    for (int id = 1; id < w.nodes.length; id++) {
      if (w.isActiveMember(cs, id) && w.nodes[id].sm.applied() < index) {
        return false;
      }
    }
    return true;
  }
}

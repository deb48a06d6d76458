package io.stepraft.raft.confchange;

import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.quorum.JointConfig;
import io.stepraft.raft.quorum.MajorityConfig;
import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the configuration that a change produces, without touching the tracker it starts from:
 * {@link #simple} changes at most one voter; {@link #enterJoint} moves to a joint configuration
 * (the current voters become the outgoing half) from which {@link #leaveJoint} moves to the
 * incoming half. Every result is checked against the configuration invariants.
 *
 * <p>Invariants of a configuration: every voter, learner and staged learner has a progress; a
 * learner is a voter in neither half; a staged learner (learnersNext) is an outgoing voter that is
 * not a learner yet; outside a joint configuration there are no staged learners and autoLeave is
 * false.
 */
public final class ConfChanger {
  /** A configuration and the progress of each of its members. */
  public record Result(
      JointConfig voters,
      SortedSet<Long> learners,
      SortedSet<Long> learnersNext,
      boolean autoLeave,
      TreeMap<Long, Progress> progress) {}

  private final TreeSet<Long> incoming;
  private final TreeSet<Long> outgoing;
  private final TreeSet<Long> learners;
  private final TreeSet<Long> learnersNext;
  private boolean autoLeave;
  private final TreeMap<Long, Progress> progress;
  private final long lastIndex;
  private final int maxInflight;
  private final long maxInflightBytes;

  /**
   * A changer starting from the tracker's configuration.
   *
   * @param tracker the current configuration and progress; copied, never modified
   * @param lastIndex the leader's last index: new members are probed from there
   */
  public ConfChanger(ProgressTracker tracker, long lastIndex) {
    this(
        tracker.voters(),
        tracker.learners(),
        tracker.learnersNext(),
        tracker.autoLeave(),
        copy(tracker.progressMap()),
        lastIndex,
        tracker.maxInflight(),
        tracker.maxInflightBytes());
  }

  private ConfChanger(
      JointConfig voters,
      SortedSet<Long> learners,
      SortedSet<Long> learnersNext,
      boolean autoLeave,
      TreeMap<Long, Progress> progress,
      long lastIndex,
      int maxInflight,
      long maxInflightBytes) {
    this.incoming = new TreeSet<>(voters.incoming().idSet());
    this.outgoing = new TreeSet<>(voters.outgoing().idSet());
    this.learners = new TreeSet<>(learners);
    this.learnersNext = new TreeSet<>(learnersNext);
    this.autoLeave = autoLeave;
    this.progress = progress;
    this.lastIndex = lastIndex;
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    checkInvariants();
  }

  private static TreeMap<Long, Progress> copy(java.util.Map<Long, Progress> map) {
    TreeMap<Long, Progress> out = new TreeMap<>();
    map.forEach((id, pr) -> out.put(id, pr.copy()));
    return out;
  }

  private ConfChanger next(Result r) {
    return new ConfChanger(
        r.voters(),
        r.learners(),
        r.learnersNext(),
        r.autoLeave(),
        copy(r.progress()),
        lastIndex,
        maxInflight,
        maxInflightBytes);
  }

  /**
   * Enters a joint configuration: the current voters become the outgoing half and the changes apply
   * to the incoming half.
   *
   * @param autoLeave whether the leader leaves the joint configuration on its own once applied
   * @throws InvalidChangeException if already joint, if there are no voters, or if the changes
   *     remove every voter
   */
  public Result enterJoint(boolean autoLeave, List<ConfChangeSingle> changes) {
    if (!outgoing.isEmpty()) {
      throw new InvalidChangeException("config is already joint");
    }
    if (incoming.isEmpty()) {
      // Members may be added to an empty configuration (bootstrap), but it cannot become joint.
      throw new InvalidChangeException("can't make a zero-voter config joint");
    }
    outgoing.addAll(incoming);
    apply(changes);
    this.autoLeave = autoLeave;
    return result();
  }

  /**
   * Leaves a joint configuration for its incoming half: staged learners become learners, and
   * outgoing voters that are neither voters nor learners now are dropped.
   *
   * @throws InvalidChangeException if the configuration is not joint
   */
  public Result leaveJoint() {
    if (outgoing.isEmpty()) {
      throw new InvalidChangeException("can't leave a non-joint config");
    }
    for (long id : learnersNext) {
      learners.add(id);
      progress.get(id).setLearner(true);
    }
    learnersNext.clear();
    for (long id : outgoing) {
      if (!incoming.contains(id) && !learners.contains(id)) {
        progress.remove(id);
      }
    }
    outgoing.clear();
    autoLeave = false;
    return result();
  }

  /**
   * Applies changes that alter at most one voter, without joint consensus.
   *
   * @throws InvalidChangeException if joint, if more than one voter would change, or if every voter
   *     would be removed
   */
  public Result simple(List<ConfChangeSingle> changes) {
    if (!outgoing.isEmpty()) {
      throw new InvalidChangeException("can't apply simple config change in joint config");
    }
    TreeSet<Long> before = new TreeSet<>(incoming);
    apply(changes);
    int changed = 0;
    for (long id : before) {
      if (!incoming.contains(id)) {
        changed++;
      }
    }
    for (long id : incoming) {
      if (!before.contains(id)) {
        changed++;
      }
    }
    if (changed > 1) {
      throw new InvalidChangeException("more than one voter changed without entering joint config");
    }
    return result();
  }

  /**
   * The configuration a ConfState describes, built from an empty tracker by replaying changes: the
   * outgoing voters are added one by one, then the joint configuration is entered with the incoming
   * voters, learners and staged learners.
   *
   * @param empty a tracker with no members; not modified
   * @throws InvalidChangeException if the ConfState is not a valid configuration
   */
  public static Result restore(ProgressTracker empty, long lastIndex, ConfState cs) {
    if (!empty.progressMap().isEmpty() || !empty.voters().incoming().isEmpty()) {
      throw new IllegalStateException(
          "restore needs an empty tracker, got " + empty.configString());
    }
    List<ConfChangeSingle> outgoingAdds = new ArrayList<>();
    List<ConfChangeSingle> incomingOps = new ArrayList<>();
    for (long id : cs.getVotersOutgoingList()) {
      outgoingAdds.add(single(ConfChangeType.ConfChangeAddNode, id));
      incomingOps.add(single(ConfChangeType.ConfChangeRemoveNode, id));
    }
    for (long id : cs.getVotersList()) {
      incomingOps.add(single(ConfChangeType.ConfChangeAddNode, id));
    }
    for (long id : cs.getLearnersList()) {
      incomingOps.add(single(ConfChangeType.ConfChangeAddLearnerNode, id));
    }
    for (long id : cs.getLearnersNextList()) {
      incomingOps.add(single(ConfChangeType.ConfChangeAddLearnerNode, id));
    }
    ConfChanger c = new ConfChanger(empty, lastIndex);
    Result r = c.result();
    if (outgoingAdds.isEmpty()) {
      for (ConfChangeSingle op : incomingOps) {
        r = c.simple(List.of(op));
        c = c.next(r);
      }
      return r;
    }
    for (ConfChangeSingle op : outgoingAdds) {
      r = c.simple(List.of(op));
      c = c.next(r);
    }
    return c.enterJoint(cs.getAutoLeave(), incomingOps);
  }

  private static ConfChangeSingle single(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  private void apply(List<ConfChangeSingle> changes) {
    for (ConfChangeSingle cc : changes) {
      long id = cc.getNodeId();
      if (id == 0) {
        continue; // a change the host neutralized by zeroing its node id
      }
      switch (cc.getType()) {
        case ConfChangeAddNode -> makeVoter(id);
        case ConfChangeAddLearnerNode -> makeLearner(id);
        case ConfChangeRemoveNode -> remove(id);
        case ConfChangeUpdateNode -> {} // carries context for the host only
        default -> throw new InvalidChangeException("unexpected conf change type " + cc.getType());
      }
    }
    if (incoming.isEmpty()) {
      throw new InvalidChangeException("removed all voters");
    }
  }

  private void makeVoter(long id) {
    Progress pr = progress.get(id);
    if (pr == null) {
      initProgress(id, false);
      return;
    }
    pr.setLearner(false);
    learners.remove(id);
    learnersNext.remove(id);
    incoming.add(id);
  }

  private void makeLearner(long id) {
    Progress pr = progress.get(id);
    if (pr == null) {
      initProgress(id, true);
      return;
    }
    if (pr.isLearner()) {
      return;
    }
    remove(id);
    progress.put(id, pr); // keep the progress of the demoted voter
    if (outgoing.contains(id)) {
      // Still a voter of the outgoing half: it becomes a learner when the joint state is left.
      learnersNext.add(id);
    } else {
      pr.setLearner(true);
      learners.add(id);
    }
  }

  private void remove(long id) {
    if (!progress.containsKey(id)) {
      return;
    }
    incoming.remove(id);
    learners.remove(id);
    learnersNext.remove(id);
    if (!outgoing.contains(id)) {
      progress.remove(id); // an outgoing voter keeps its progress until the joint state is left
    }
  }

  private void initProgress(long id, boolean isLearner) {
    if (isLearner) {
      learners.add(id);
    } else {
      incoming.add(id);
    }
    // Probe from the last index; the follower most likely needs a snapshot, which probing finds.
    Progress pr = new Progress(Math.max(lastIndex, 1), 0, maxInflight, maxInflightBytes, isLearner);
    // A new member counts as active so that CheckQuorum does not fire before it was heard from.
    pr.setRecentActive(true);
    progress.put(id, pr);
  }

  private Result result() {
    checkInvariants();
    JointConfig voters = new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing));
    return new Result(
        voters, new TreeSet<>(learners), new TreeSet<>(learnersNext), autoLeave, copy(progress));
  }

  private void checkInvariants() {
    for (TreeSet<Long> ids : List.of(incoming, outgoing, learners, learnersNext)) {
      for (long id : ids) {
        if (!progress.containsKey(id)) {
          throw new InvalidChangeException("no progress for " + id);
        }
      }
    }
    for (long id : learnersNext) {
      if (!outgoing.contains(id)) {
        throw new InvalidChangeException(
            id + " is in learnersNext, but not in the outgoing voters");
      }
      if (progress.get(id).isLearner()) {
        throw new InvalidChangeException(
            id + " is in learnersNext, but is already marked as learner");
      }
    }
    for (long id : learners) {
      if (outgoing.contains(id)) {
        throw new InvalidChangeException(id + " is in learners and in the outgoing voters");
      }
      if (incoming.contains(id)) {
        throw new InvalidChangeException(id + " is in learners and in the incoming voters");
      }
      if (!progress.get(id).isLearner()) {
        throw new InvalidChangeException(id + " is in learners, but is not marked as learner");
      }
    }
    if (outgoing.isEmpty()) {
      if (!learnersNext.isEmpty()) {
        throw new InvalidChangeException("learnersNext must be empty when not joint");
      }
      if (autoLeave) {
        throw new InvalidChangeException("autoLeave must be false when not joint");
      }
    }
  }
}

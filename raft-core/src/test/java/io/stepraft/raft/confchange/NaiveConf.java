package io.stepraft.raft.confchange;

import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfState;
import java.util.List;
import java.util.TreeSet;

/**
 * A naive model of configuration changes over plain sets, written from the documented rules (not
 * from {@link ConfChanger}): the expected configuration after a change, or the reason the change is
 * refused.
 */
final class NaiveConf {
  final TreeSet<Long> incoming = new TreeSet<>();
  final TreeSet<Long> outgoing = new TreeSet<>();
  final TreeSet<Long> learners = new TreeSet<>();
  final TreeSet<Long> learnersNext = new TreeSet<>();
  boolean autoLeave;

  /**
   * Ids the last operation removed while they were not outgoing voters: their progress restarts.
   */
  final TreeSet<Long> dropped = new TreeSet<>();

  /** Why the last operation was refused, or null if it was accepted. */
  String refused;

  static NaiveConf of(ConfState cs) {
    NaiveConf c = new NaiveConf();
    c.incoming.addAll(cs.getVotersList());
    c.outgoing.addAll(cs.getVotersOutgoingList());
    c.learners.addAll(cs.getLearnersList());
    c.learnersNext.addAll(cs.getLearnersNextList());
    c.autoLeave = cs.getAutoLeave();
    return c;
  }

  private NaiveConf copy() {
    NaiveConf c = new NaiveConf();
    c.incoming.addAll(incoming);
    c.outgoing.addAll(outgoing);
    c.learners.addAll(learners);
    c.learnersNext.addAll(learnersNext);
    c.autoLeave = autoLeave;
    return c;
  }

  boolean joint() {
    return !outgoing.isEmpty();
  }

  /** Every id that needs a progress. */
  TreeSet<Long> members() {
    TreeSet<Long> m = new TreeSet<>(incoming);
    m.addAll(outgoing);
    m.addAll(learners);
    m.addAll(learnersNext);
    return m;
  }

  NaiveConf simple(List<ConfChangeSingle> changes) {
    NaiveConf next = copy();
    if (joint()) {
      return refuse("can't apply simple config change in joint config");
    }
    if (!next.apply(changes)) {
      return refuse("removed all voters");
    }
    TreeSet<Long> diff = new TreeSet<>(incoming);
    diff.removeAll(next.incoming);
    TreeSet<Long> added = new TreeSet<>(next.incoming);
    added.removeAll(incoming);
    if (diff.size() + added.size() > 1) {
      return refuse("more than one voter changed without entering joint config");
    }
    return next;
  }

  NaiveConf enterJoint(boolean auto, List<ConfChangeSingle> changes) {
    if (joint()) {
      return refuse("config is already joint");
    }
    if (incoming.isEmpty()) {
      return refuse("can't make a zero-voter config joint");
    }
    NaiveConf next = copy();
    next.outgoing.addAll(incoming);
    if (!next.apply(changes)) {
      return refuse("removed all voters");
    }
    next.autoLeave = auto;
    return next;
  }

  NaiveConf leaveJoint() {
    if (!joint()) {
      return refuse("can't leave a non-joint config");
    }
    NaiveConf next = copy();
    next.learners.addAll(learnersNext);
    next.learnersNext.clear();
    next.outgoing.clear();
    next.autoLeave = false;
    return next;
  }

  private NaiveConf refuse(String why) {
    NaiveConf c = copy();
    c.refused = why;
    return c;
  }

  /** Applies changes to the incoming half; false if no incoming voter is left. */
  private boolean apply(List<ConfChangeSingle> changes) {
    for (ConfChangeSingle cc : changes) {
      long id = cc.getNodeId();
      if (id == 0) {
        continue;
      }
      switch (cc.getType()) {
        case ConfChangeAddNode -> {
          incoming.add(id);
          learners.remove(id);
          learnersNext.remove(id);
        }
        case ConfChangeAddLearnerNode -> {
          if (!learners.contains(id)) {
            incoming.remove(id);
            learnersNext.remove(id);
            (outgoing.contains(id) ? learnersNext : learners).add(id);
          }
        }
        case ConfChangeRemoveNode -> {
          if (!outgoing.contains(id)) {
            dropped.add(id);
          }
          incoming.remove(id);
          learners.remove(id);
          learnersNext.remove(id);
        }
        case ConfChangeUpdateNode -> {}
        default -> throw new IllegalArgumentException("change " + cc);
      }
    }
    return !incoming.isEmpty();
  }

  /** The configuration as the tracker describes it, e.g. {@code voters=(1 2)&&(1) learners=(3)}. */
  String describe() {
    StringBuilder sb = new StringBuilder("voters=").append(set(incoming));
    if (joint()) {
      sb.append("&&").append(set(outgoing));
    }
    if (!learners.isEmpty()) {
      sb.append(" learners=").append(set(learners));
    }
    if (!learnersNext.isEmpty()) {
      sb.append(" learners_next=").append(set(learnersNext));
    }
    return autoLeave ? sb.append(" autoleave").toString() : sb.toString();
  }

  private static String set(TreeSet<Long> ids) {
    StringBuilder sb = new StringBuilder("(");
    for (long id : ids) {
      sb.append(sb.length() > 1 ? " " : "").append(id);
    }
    return sb.append(')').toString();
  }
}

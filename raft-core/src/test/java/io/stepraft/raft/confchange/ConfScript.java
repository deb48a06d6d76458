package io.stepraft.raft.confchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Drives a {@link ConfChanger} through a sequence of changes written in a shorthand: {@code v1}
 * adds voter 1, {@code l2} adds (or demotes to) learner 2, {@code r3} removes 3, {@code u4} updates
 * 4. Each accepted change is installed in a tracker, as Raft does, and the tracker's description
 * (configuration line, then one line of progress per member) is returned.
 */
final class ConfScript {
  static final int MAX_INFLIGHT = 256;
  static final long MAX_INFLIGHT_BYTES = 0;

  private ProgressTracker tracker = new ProgressTracker(MAX_INFLIGHT, MAX_INFLIGHT_BYTES);

  /** The leader's last index that new members are probed from. */
  long lastIndex;

  ConfScript(long lastIndex) {
    this.lastIndex = lastIndex;
  }

  ProgressTracker tracker() {
    return tracker;
  }

  static List<ConfChangeSingle> changes(String shorthand) {
    List<ConfChangeSingle> out = new ArrayList<>();
    for (String tok : shorthand.trim().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      ConfChangeType type =
          switch (tok.charAt(0)) {
            case 'v' -> ConfChangeType.ConfChangeAddNode;
            case 'l' -> ConfChangeType.ConfChangeAddLearnerNode;
            case 'r' -> ConfChangeType.ConfChangeRemoveNode;
            case 'u' -> ConfChangeType.ConfChangeUpdateNode;
            default -> throw new IllegalArgumentException("unknown change " + tok);
          };
      out.add(
          ConfChangeSingle.newBuilder()
              .setType(type)
              .setNodeId(Long.parseLong(tok.substring(1)))
              .build());
    }
    return out;
  }

  /** Installs a result in a fresh tracker, as Raft.switchToConfig does. */
  static ProgressTracker install(ConfChanger.Result r) {
    ProgressTracker t = new ProgressTracker(MAX_INFLIGHT, MAX_INFLIGHT_BYTES);
    t.setConfig(r.voters(), r.learners(), r.learnersNext(), r.autoLeave());
    t.replaceProgress(r.progress());
    return t;
  }

  String simple(String shorthand) {
    return run(c -> c.simple(changes(shorthand)));
  }

  String enterJoint(boolean autoLeave, String shorthand) {
    return run(c -> c.enterJoint(autoLeave, changes(shorthand)));
  }

  String leaveJoint() {
    return run(ConfChanger::leaveJoint);
  }

  /** Expects the simple change to be refused with a message containing {@code error}. */
  void simpleFails(String shorthand, String error) {
    fails(c -> c.simple(changes(shorthand)), error);
  }

  void enterJointFails(boolean autoLeave, String shorthand, String error) {
    fails(c -> c.enterJoint(autoLeave, changes(shorthand)), error);
  }

  void leaveJointFails(String error) {
    fails(ConfChanger::leaveJoint, error);
  }

  private String run(Function<ConfChanger, ConfChanger.Result> op) {
    String before = tracker.toString();
    ConfChanger.Result r = op.apply(new ConfChanger(tracker, lastIndex));
    assertEquals(before, tracker.toString(), "the changer modified its input tracker");
    tracker = install(r);
    return tracker.toString();
  }

  private void fails(Function<ConfChanger, ConfChanger.Result> op, String error) {
    String before = tracker.toString();
    InvalidChangeException e =
        assertThrows(
            InvalidChangeException.class, () -> op.apply(new ConfChanger(tracker, lastIndex)));
    assertTrue(e.getMessage().contains(error), "expected '" + error + "' in: " + e.getMessage());
    assertEquals(before, tracker.toString(), "a refused change modified the tracker");
  }

  /** The configuration line of the current tracker, without progress. */
  String config() {
    return tracker.configString();
  }
}

package io.stepraft.raft.confchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.tracker.Progress;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of configuration changes, from random valid configurations, applied through
 * {@link ConfChanger} and compared with {@link NaiveConf}: accepted results satisfy every invariant
 * and match the model, refusals leave the input untouched, progress survives for members that stay,
 * and every result survives a ConfState round trip through restore.
 */
class ConfChangerPropertyTest {
  private static final int SEQUENCES = 5_000;
  private static final long SEED = 0x5eed_c0f1L;
  private static final int MAX_ID = 7;

  @Test
  void randomChangeSequencesMatchTheNaiveModelAndKeepEveryInvariant() {
    SplittableRandom seeds = new SplittableRandom(SEED);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < SEQUENCES; i++) {
      long seed = seeds.nextLong();
      try {
        int[] counts = runSequence(new SplittableRandom(seed));
        accepted += counts[0];
        refused += counts[1];
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "sequence " + i + " failed; replay with seed " + seed + "L: " + e.getMessage(), e);
      }
    }
    assertTrue(
        accepted > SEQUENCES && refused > SEQUENCES / 2,
        "both outcomes are exercised: " + accepted + " accepted, " + refused + " refused");
  }

  /** Runs one sequence; returns {accepted, refused}. */
  private static int[] runSequence(SplittableRandom rnd) {
    ConfState start = randomConfState(rnd);
    long lastIndex = rnd.nextLong(0, 50);
    ProgressTracker tracker = ConfScript.install(ConfChanger.restore(empty(), lastIndex, start));
    randomizeProgress(tracker, rnd);
    NaiveConf model = NaiveConf.of(start);
    int[] counts = new int[2];
    int steps = rnd.nextInt(1, 9);
    for (int step = 0; step < steps; step++) {
      lastIndex += rnd.nextInt(0, 5);
      Op op = randomOp(rnd);
      NaiveConf expected = op.model(model);
      String before = tracker.toString();
      ConfChanger.Result result;
      try {
        result = op.apply(new ConfChanger(tracker, lastIndex));
      } catch (InvalidChangeException e) {
        assertTrue(
            expected.refused != null,
            op + " on " + model.describe() + " was refused: " + e.getMessage());
        assertTrue(
            e.getMessage().contains(expected.refused),
            op + ": '" + expected.refused + "' in " + e.getMessage());
        assertEquals(before, tracker.toString(), op + " was refused but changed the tracker");
        counts[1]++;
        continue;
      }
      assertEquals(null, expected.refused, op + " on " + model.describe() + " was accepted");
      assertEquals(before, tracker.toString(), op + " changed its input tracker");
      checkResult(result, expected, tracker, lastIndex, op);
      tracker = ConfScript.install(result);
      model = expected;
      counts[0]++;
    }
    return counts;
  }

  private static void checkResult(
      ConfChanger.Result r, NaiveConf expected, ProgressTracker before, long lastIndex, Op op) {
    ProgressTracker after = ConfScript.install(r);
    assertEquals(expected.describe(), after.configString(), op.toString());
    checkInvariants(r, op);
    for (Map.Entry<Long, Progress> e : r.progress().entrySet()) {
      long id = e.getKey();
      Progress pr = e.getValue();
      assertEquals(expected.learners.contains(id), pr.isLearner(), op + ": learner flag of " + id);
      Progress old = expected.dropped.contains(id) ? null : before.progress(id);
      if (old != null) {
        assertEquals(old.match(), pr.match(), op + ": match of " + id + " kept");
        assertEquals(old.next(), pr.next(), op + ": next of " + id + " kept");
      } else {
        assertEquals(0, pr.match(), op + ": new member " + id);
        assertEquals(
            Math.max(lastIndex, 1),
            pr.next(),
            op + ": new member " + id + " probes from the last index");
      }
    }
    ConfState cs = after.confState();
    ProgressTracker restored = ConfScript.install(ConfChanger.restore(empty(), lastIndex, cs));
    assertEquals(
        after.configString(), restored.configString(), op + ": restore(confState(result))");
    ConfChanges.checkEquivalent(cs, restored.confState());
  }

  /** The invariants every configuration must satisfy, checked on plain sets. */
  private static void checkInvariants(ConfChanger.Result r, Op op) {
    TreeSet<Long> incoming = new TreeSet<>(r.voters().incoming().idSet());
    TreeSet<Long> outgoing = new TreeSet<>(r.voters().outgoing().idSet());
    TreeSet<Long> members = new TreeSet<>(incoming);
    members.addAll(outgoing);
    members.addAll(r.learners());
    members.addAll(r.learnersNext());
    assertEquals(members, r.progress().keySet(), op + ": exactly the members have progress");
    assertTrue(!incoming.isEmpty(), op + ": voters were removed to zero");
    for (long id : r.learners()) {
      assertTrue(
          !incoming.contains(id) && !outgoing.contains(id), op + ": learner " + id + " is a voter");
    }
    for (long id : r.learnersNext()) {
      assertTrue(
          outgoing.contains(id) && !incoming.contains(id) && !r.learners().contains(id),
          op + ": learnerNext " + id);
    }
    if (!r.voters().isJoint()) {
      assertTrue(
          r.learnersNext().isEmpty() && !r.autoLeave(),
          op + ": not joint, yet learnersNext or autoLeave");
    }
  }

  /** One operation: a simple change, entering a joint configuration, or leaving one. */
  private record Op(String kind, boolean autoLeave, List<ConfChangeSingle> changes) {
    ConfChanger.Result apply(ConfChanger c) {
      return switch (kind) {
        case "simple" -> c.simple(changes);
        case "enter" -> c.enterJoint(autoLeave, changes);
        default -> c.leaveJoint();
      };
    }

    NaiveConf model(NaiveConf m) {
      return switch (kind) {
        case "simple" -> m.simple(changes);
        case "enter" -> m.enterJoint(autoLeave, changes);
        default -> m.leaveJoint();
      };
    }

    @Override
    public String toString() {
      StringBuilder sb =
          new StringBuilder(kind).append(kind.equals("enter") ? "(auto=" + autoLeave + ")" : "");
      for (ConfChangeSingle cc : changes) {
        sb.append(' ')
            .append(
                switch (cc.getType()) {
                  case ConfChangeAddNode -> 'v';
                  case ConfChangeAddLearnerNode -> 'l';
                  case ConfChangeRemoveNode -> 'r';
                  case ConfChangeUpdateNode -> 'u';
                })
            .append(cc.getNodeId());
      }
      return sb.toString();
    }
  }

  private static Op randomOp(SplittableRandom rnd) {
    int kind = rnd.nextInt(10);
    if (kind < 6) {
      return new Op(
          "simple", false, randomChanges(rnd, rnd.nextInt(4) == 0 ? rnd.nextInt(2, 4) : 1));
    }
    if (kind < 8) {
      return new Op("enter", rnd.nextBoolean(), randomChanges(rnd, rnd.nextInt(1, 5)));
    }
    return new Op("leave", false, List.of());
  }

  private static List<ConfChangeSingle> randomChanges(SplittableRandom rnd, int n) {
    ConfChangeType[] types = ConfChangeType.values();
    List<ConfChangeSingle> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = rnd.nextInt(20) == 0 ? 0 : rnd.nextInt(1, MAX_ID + 1);
      out.add(
          ConfChangeSingle.newBuilder()
              .setType(types[rnd.nextInt(types.length)])
              .setNodeId(id)
              .build());
    }
    return out;
  }

  /** A valid, non-empty configuration over ids 1..MAX_ID, joint with probability 0.4. */
  private static ConfState randomConfState(SplittableRandom rnd) {
    TreeSet<Long> voters = randomSubset(rnd, new TreeSet<>(ids()), true);
    ConfState.Builder cs = ConfState.newBuilder().addAllVoters(voters);
    TreeSet<Long> free = ids();
    free.removeAll(voters);
    if (rnd.nextInt(10) < 4) {
      TreeSet<Long> outgoing = randomSubset(rnd, ids(), true);
      cs.addAllVotersOutgoing(outgoing).setAutoLeave(rnd.nextBoolean());
      TreeSet<Long> demotable = new TreeSet<>(outgoing);
      demotable.removeAll(voters);
      cs.addAllLearnersNext(randomSubset(rnd, demotable, false));
      free.removeAll(outgoing);
    }
    return cs.addAllLearners(randomSubset(rnd, free, false)).build();
  }

  private static TreeSet<Long> ids() {
    TreeSet<Long> ids = new TreeSet<>();
    for (long id = 1; id <= MAX_ID; id++) {
      ids.add(id);
    }
    return ids;
  }

  private static TreeSet<Long> randomSubset(
      SplittableRandom rnd, TreeSet<Long> from, boolean nonEmpty) {
    TreeSet<Long> out = new TreeSet<>();
    for (long id : from) {
      if (rnd.nextInt(3) == 0) {
        out.add(id);
      }
    }
    if (nonEmpty && out.isEmpty()) {
      List<Long> list = new ArrayList<>(from);
      out.add(list.get(rnd.nextInt(list.size())));
    }
    return out;
  }

  /** Gives members distinct progress so that the test can see it carried over. */
  private static void randomizeProgress(ProgressTracker t, SplittableRandom rnd) {
    TreeMap<Long, Progress> copy = new TreeMap<>(t.progressMap());
    for (Progress pr : copy.values()) {
      long match = rnd.nextLong(0, 40);
      pr.setNext(match + 1 + rnd.nextLong(0, 3));
      pr.setMatch(match);
    }
  }

  private static ProgressTracker empty() {
    return new ProgressTracker(ConfScript.MAX_INFLIGHT, ConfScript.MAX_INFLIGHT_BYTES);
  }

  @Test
  void theModelAgreesWithHandWrittenCases() {
    NaiveConf m =
        NaiveConf.of(ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build());
    assertEquals(
        "voters=(1 2)&&(1 2 3) learners_next=(3)",
        m.enterJoint(false, ConfScript.changes("l3")).describe());
    assertEquals(
        "more than one voter changed without entering joint config",
        m.simple(ConfScript.changes("v4 v5")).refused);
    assertEquals("removed all voters", m.simple(ConfScript.changes("r1 r2 r3")).refused);
  }
}

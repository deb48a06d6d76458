package io.stepraft.raft.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Compares the quorum arithmetic against naive definitions on many random configurations: the
 * committed index as "the largest index that at least a majority acknowledged", and the vote result
 * by enumerating every way the missing voters could still answer.
 */
class QuorumPropertyTest {
  private static final long SEED = 0x5eed_2024L;
  private static final int CASES = 10_000;
  private static final int MAX_ID = 10;

  @Test
  void majorityCommittedIndexMatchesNaiveDefinition() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      MajorityConfig config = randomConfig(random);
      Acked acked = randomAcked(random);
      String context = "seed " + SEED + " case " + i + ": " + config + " acked " + acked;
      assertEquals(naiveCommitted(config, acked), config.committedIndex(acked), context);
    }
  }

  @Test
  void jointCommittedIndexMatchesNaiveDefinition() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      JointConfig config = new JointConfig(randomConfig(random), randomConfig(random));
      Acked acked = randomAcked(random);
      String context = "seed " + (SEED + 1) + " case " + i + ": " + config + " acked " + acked;
      long expected =
          Math.min(
              naiveCommitted(config.incoming(), acked), naiveCommitted(config.outgoing(), acked));
      assertEquals(expected, config.committedIndex(acked), context);
    }
  }

  @Test
  void majorityVoteResultMatchesEnumeration() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int i = 0; i < CASES; i++) {
      MajorityConfig config = randomConfig(random);
      Map<Long, Boolean> votes = randomVotes(random);
      JointConfig asJoint = new JointConfig(config, MajorityConfig.EMPTY);
      String context = "seed " + (SEED + 2) + " case " + i + ": " + config + " votes " + votes;
      assertEquals(naiveVote(asJoint, votes), config.voteResult(votes), context);
    }
  }

  @Test
  void jointVoteResultMatchesEnumeration() {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    for (int i = 0; i < CASES; i++) {
      JointConfig config = new JointConfig(randomConfig(random), randomConfig(random));
      Map<Long, Boolean> votes = randomVotes(random);
      String context = "seed " + (SEED + 3) + " case " + i + ": " + config + " votes " + votes;
      assertEquals(naiveVote(config, votes), config.voteResult(votes), context);
    }
  }

  /** 0 to 7 distinct voters with ids in [1, MAX_ID]. */
  private static MajorityConfig randomConfig(SplittableRandom random) {
    int n = random.nextInt(8);
    TreeSet<Long> ids = new TreeSet<>();
    while (ids.size() < n) {
      ids.add((long) random.nextInt(1, MAX_ID + 1));
    }
    return MajorityConfig.of(ids);
  }

  /** Each id acknowledged a small index, or is missing (about one in four). */
  private static Acked randomAcked(SplittableRandom random) {
    Acked acked = new Acked();
    for (long id = 1; id <= MAX_ID; id++) {
      if (random.nextInt(4) != 0) {
        acked.put(id, random.nextInt(12));
      }
    }
    return acked;
  }

  /** Each id voted yes, no, or not at all; ids beyond the voters vote too. */
  private static Map<Long, Boolean> randomVotes(SplittableRandom random) {
    Map<Long, Boolean> votes = new java.util.HashMap<>();
    for (long id = 1; id <= MAX_ID + 2; id++) {
      int pick = random.nextInt(3);
      if (pick < 2) {
        votes.put(id, pick == 0);
      }
    }
    return votes;
  }

  /** The largest candidate index that at least a majority acknowledged. */
  private static long naiveCommitted(MajorityConfig config, AckedIndexer acked) {
    if (config.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long best = 0;
    for (long candidateId : config.ids()) {
      long candidate = acked.ackedIndex(candidateId);
      int atLeast = 0;
      for (long id : config.ids()) {
        if (acked.ackedIndex(id) >= candidate) {
          atLeast++;
        }
      }
      if (atLeast > config.size() / 2) {
        best = Math.max(best, candidate);
      }
    }
    return best;
  }

  /** WON if every completion of the missing votes wins both halves, LOST if none does. */
  private static VoteResult naiveVote(JointConfig config, Map<Long, Boolean> votes) {
    List<Long> missing = new ArrayList<>();
    for (long id : config.ids()) {
      if (!votes.containsKey(id)) {
        missing.add(id);
      }
    }
    int wins = 0;
    int completions = 1 << missing.size();
    for (int mask = 0; mask < completions; mask++) {
      Map<Long, Boolean> complete = new java.util.HashMap<>(votes);
      for (int b = 0; b < missing.size(); b++) {
        complete.put(missing.get(b), (mask & (1 << b)) != 0);
      }
      if (wins(config.incoming(), complete) && wins(config.outgoing(), complete)) {
        wins++;
      }
    }
    return wins == completions ? VoteResult.WON : wins == 0 ? VoteResult.LOST : VoteResult.PENDING;
  }

  private static boolean wins(MajorityConfig config, Map<Long, Boolean> votes) {
    int yes = 0;
    for (long id : config.ids()) {
      if (Boolean.TRUE.equals(votes.get(id))) {
        yes++;
      }
    }
    return 2 * yes > config.size() || config.isEmpty();
  }
}

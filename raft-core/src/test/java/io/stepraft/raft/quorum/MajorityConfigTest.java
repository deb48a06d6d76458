package io.stepraft.raft.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MajorityConfigTest {

  @Test
  void ofSortsAndDropsDuplicates() {
    MajorityConfig c = MajorityConfig.of(3, 1, 2, 3, 1);
    assertArrayEquals(new long[] {1, 2, 3}, c.ids());
    assertEquals(3, c.size());
    assertEquals(c, MajorityConfig.of(List.of(2L, 3L, 1L, 2L)));
  }

  @Test
  void ofNothingIsTheEmptyConfig() {
    assertSame(MajorityConfig.EMPTY, MajorityConfig.of());
    assertTrue(MajorityConfig.of(List.of()).isEmpty());
    assertEquals(0, MajorityConfig.EMPTY.size());
    assertEquals(0, MajorityConfig.EMPTY.quorum());
  }

  @Test
  void ofRejectsNullArguments() {
    assertThrows(IllegalArgumentException.class, () -> MajorityConfig.of((long[]) null));
    assertThrows(IllegalArgumentException.class, () -> MajorityConfig.of((List<Long>) null));
    assertThrows(
        IllegalArgumentException.class, () -> MajorityConfig.of(java.util.Arrays.asList(1L, null)));
  }

  @Test
  void idsAndIdSetAreCopies() {
    MajorityConfig c = MajorityConfig.of(1, 2);
    c.ids()[0] = 99;
    c.idSet().add(99L);
    assertEquals(new TreeSet<>(List.of(1L, 2L)), c.idSet());
    assertFalse(c.contains(99));
  }

  @Test
  void idAtWalksTheVotersInAscendingOrder() {
    MajorityConfig c = MajorityConfig.of(9, 1, 5);
    assertEquals(1, c.idAt(0));
    assertEquals(5, c.idAt(1));
    assertEquals(9, c.idAt(2));
    assertThrows(IllegalArgumentException.class, () -> c.idAt(3));
    assertThrows(IllegalArgumentException.class, () -> c.idAt(-1));
  }

  @Test
  void containsOnlyMembers() {
    MajorityConfig c = MajorityConfig.of(1, 5, 9);
    assertTrue(c.contains(5));
    assertFalse(c.contains(4));
    assertFalse(MajorityConfig.EMPTY.contains(1));
  }

  @Test
  void quorumIsHalfPlusOne() {
    assertEquals(1, MajorityConfig.of(1).quorum());
    assertEquals(2, MajorityConfig.of(1, 2).quorum());
    assertEquals(2, MajorityConfig.of(1, 2, 3).quorum());
    assertEquals(3, MajorityConfig.of(1, 2, 3, 4).quorum());
    assertEquals(3, MajorityConfig.of(1, 2, 3, 4, 5).quorum());
  }

  @Test
  void toStringListsSortedIdsInParentheses() {
    assertEquals("(1 2 3)", MajorityConfig.of(3, 2, 1).toString());
    assertEquals("()", MajorityConfig.EMPTY.toString());
  }

  @Test
  void equalsAndHashCodeGoByMembers() {
    assertEquals(MajorityConfig.of(1, 2), MajorityConfig.of(2, 1));
    assertEquals(MajorityConfig.of(1, 2).hashCode(), MajorityConfig.of(2, 1).hashCode());
    assertNotEquals(MajorityConfig.of(1, 2), MajorityConfig.of(1, 3));
    assertNotEquals(MajorityConfig.of(1), "(1)");
  }

  @Test
  void committedIndexOfEmptyConfigIsMaxValue() {
    assertEquals(Long.MAX_VALUE, MajorityConfig.EMPTY.committedIndex(Acked.of()));
  }

  @Test
  void committedIndexIsTheQuorumThLargestAckedIndex() {
    long[][] cases = {
      // voters..., then pairs id=acked, then expected; encoded as {n, ids..., acked..., expected}
      {1, 1, 7, 7},
      {2, 1, 2, 5, 9, 5},
      {3, 1, 2, 3, 5, 9, 7, 7},
      {3, 1, 2, 3, 5, 5, 7, 5},
      {4, 1, 2, 3, 4, 1, 2, 3, 4, 2},
      {5, 1, 2, 3, 4, 5, 10, 2, 8, 4, 6, 6},
      {5, 1, 2, 3, 4, 5, 0, 0, 0, 9, 9, 0},
      {7, 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 4},
    };
    for (long[] c : cases) {
      int n = (int) c[0];
      long[] ids = java.util.Arrays.copyOfRange(c, 1, 1 + n);
      Acked acked = new Acked();
      for (int i = 0; i < n; i++) {
        acked.put(ids[i], c[1 + n + i]);
      }
      assertEquals(c[1 + 2 * n], MajorityConfig.of(ids).committedIndex(acked), acked.toString());
    }
  }

  @Test
  void committedIndexCountsMissingVotersAsZero() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertEquals(0, c.committedIndex(Acked.of(1, 5)));
    assertEquals(4, c.committedIndex(Acked.of(1, 5, 2, 4)));
  }

  @Test
  void committedIndexIgnoresNonMembers() {
    Acked acked = Acked.of(1, 3, 2, 3, 4, 100, 5, 100);
    assertEquals(3, MajorityConfig.of(1, 2, 3).committedIndex(acked));
  }

  @Test
  void committedIndexIsRepeatableWithTheScratchBuffer() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertEquals(5, c.committedIndex(Acked.of(1, 9, 2, 5, 3, 1)));
    assertEquals(2, c.committedIndex(Acked.of(1, 2, 2, 2, 3, 2)));
    assertEquals(5, c.committedIndex(Acked.of(1, 9, 2, 5, 3, 1)));
  }

  @Test
  void committedIndexFailsOnNegativeAckedIndex() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MajorityConfig.of(1, 2).committedIndex(Acked.of(2, -3)));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }

  @Test
  void voteResultOfEmptyConfigIsWon() {
    assertEquals(VoteResult.WON, MajorityConfig.EMPTY.voteResult(Votes.of()));
    assertEquals(VoteResult.WON, MajorityConfig.EMPTY.voteResult(Votes.of(1, false)));
  }

  @Test
  void voteResultFollowsTheMajority() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of()));
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of(1, true)));
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of(1, true, 2, false)));
    assertEquals(VoteResult.WON, c.voteResult(Votes.of(1, true, 2, true)));
    assertEquals(VoteResult.LOST, c.voteResult(Votes.of(1, false, 2, false)));
    assertEquals(VoteResult.WON, c.voteResult(Votes.of(1, true, 2, false, 3, true)));
  }

  @Test
  void voteResultWithEvenVotersNeedsMoreThanHalf() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3, 4);
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of(1, true, 2, true)));
    assertEquals(VoteResult.LOST, c.voteResult(Votes.of(1, true, 2, true, 3, false, 4, false)));
    assertEquals(VoteResult.LOST, c.voteResult(Votes.of(3, false, 4, false)));
    assertEquals(VoteResult.WON, c.voteResult(Votes.of(1, true, 2, true, 3, true)));
  }

  @Test
  void voteResultIgnoresVotesOfNonMembers() {
    MajorityConfig c = MajorityConfig.of(1, 2, 3);
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of(1, true, 4, true, 5, true)));
    assertEquals(VoteResult.PENDING, c.voteResult(Votes.of(1, true, 4, false, 5, false)));
  }

  @Test
  void describeShowsOneLinePerVoterAndTheCommittedIndex() {
    String d = MajorityConfig.of(1, 2, 3).describe(Acked.of(1, 100, 2, 101));
    String[] lines = d.split("\n");
    assertEquals(4, lines.length, d);
    assertEquals("=>   id=1 acked=100", lines[0]);
    assertEquals("==>  id=2 acked=101", lines[1]);
    assertEquals(">    id=3 acked=?", lines[2]);
    assertEquals("committed=100 quorum=2/3", lines[3]);
    assertEquals("committed=max quorum=0/0", MajorityConfig.EMPTY.describe(Acked.of()));
  }
}

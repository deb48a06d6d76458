package io.stepraft.raft.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JointConfigTest {
  private static final JointConfig JOINT =
      new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(1, 2, 4));
  private static final JointConfig SIMPLE =
      new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.EMPTY);

  @Test
  void isJointOnlyWithANonEmptyOutgoingHalf() {
    assertTrue(JOINT.isJoint());
    assertFalse(SIMPLE.isJoint());
    assertSame(MajorityConfig.EMPTY, SIMPLE.outgoing());
    assertEquals(MajorityConfig.of(1, 2, 3), JOINT.incoming());
  }

  @Test
  void constructorRejectsNullHalves() {
    assertThrows(IllegalArgumentException.class, () -> new JointConfig(null, MajorityConfig.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> new JointConfig(MajorityConfig.EMPTY, null));
  }

  @Test
  void idsAreTheUnionOfBothHalves() {
    assertEquals(new TreeSet<>(List.of(1L, 2L, 3L, 4L)), JOINT.ids());
    assertTrue(JOINT.contains(4));
    assertTrue(JOINT.contains(3));
    assertFalse(JOINT.contains(5));
  }

  @Test
  void toStringJoinsHalvesWithAmpersands() {
    assertEquals("(1 2 3)&&(1 2 4)", JOINT.toString());
    assertEquals("(1 2 3)", SIMPLE.toString());
    assertEquals("()", JointConfig.EMPTY.toString());
  }

  @Test
  void equalsGoesByBothHalves() {
    JointConfig same = new JointConfig(MajorityConfig.of(3, 2, 1), MajorityConfig.of(4, 2, 1));
    assertEquals(JOINT, same);
    assertEquals(JOINT.hashCode(), same.hashCode());
    assertNotEquals(JOINT, SIMPLE);
  }

  @Test
  void committedIndexIsTheMinimumOfBothHalves() {
    Acked acked = Acked.of(1, 5, 2, 4, 3, 9, 4, 1);
    // incoming (5,4,9) -> 5; outgoing (5,4,1) -> 4
    assertEquals(4, JOINT.committedIndex(acked));
    assertEquals(5, SIMPLE.committedIndex(acked));
  }

  @Test
  void committedIndexWithAnEmptyHalfIsDecidedByTheOther() {
    JointConfig onlyOutgoing = new JointConfig(MajorityConfig.EMPTY, MajorityConfig.of(1, 2, 3));
    assertEquals(7, onlyOutgoing.committedIndex(Acked.of(1, 7, 2, 8)));
    assertEquals(Long.MAX_VALUE, JointConfig.EMPTY.committedIndex(Acked.of(1, 7)));
  }

  @Test
  void voteResultNeedsBothHalvesToWin() {
    assertEquals(VoteResult.PENDING, JOINT.voteResult(Votes.of(1, true, 3, true)));
    assertEquals(VoteResult.WON, JOINT.voteResult(Votes.of(1, true, 3, true, 4, true)));
    assertEquals(VoteResult.WON, JOINT.voteResult(Votes.of(1, true, 2, true)));
  }

  @Test
  void voteResultIsLostWhenEitherHalfLoses() {
    assertEquals(VoteResult.LOST, JOINT.voteResult(Votes.of(1, true, 2, false, 4, false)));
    assertEquals(VoteResult.LOST, JOINT.voteResult(Votes.of(1, true, 3, true, 2, false, 4, false)));
    assertEquals(VoteResult.LOST, JOINT.voteResult(Votes.of(1, false, 2, false)));
  }

  @Test
  void voteResultOfASimpleConfigIsTheIncomingResult() {
    assertEquals(VoteResult.WON, SIMPLE.voteResult(Votes.of(1, true, 3, true)));
    assertEquals(VoteResult.WON, JointConfig.EMPTY.voteResult(Votes.of()));
  }
}

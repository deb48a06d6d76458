package io.stepraft.raft.membership;

import static io.stepraft.raft.membership.Ccs.ADD;
import static io.stepraft.raft.membership.Ccs.LEARNER;
import static io.stepraft.raft.membership.Ccs.REMOVE;
import static io.stepraft.raft.membership.Ccs.propose;
import static io.stepraft.raft.testing.ConfStates.voters;
import static io.stepraft.raft.testing.ConfStates.withLearners;
import static io.stepraft.raft.testing.MembershipChanges.auto;
import static io.stepraft.raft.testing.MembershipChanges.explicit;
import static io.stepraft.raft.testing.MembershipChanges.implicit;
import static io.stepraft.raft.testing.MembershipChanges.leaveJoint;
import static io.stepraft.raft.testing.MembershipChanges.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.RaftListener;
import io.stepraft.raft.Role;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.testing.ConfStates;
import io.stepraft.raft.testing.StepCluster;
import io.stepraft.raft.testing.StepNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes through a joint configuration: automatic, implicit and explicit transitions. */
class JointConsensusTest {
  /** Records the configurations node 1 switches to. */
  private static final class Configs implements RaftListener {
    final List<ConfState> seen = new ArrayList<>();

    @Override
    public void configChanged(long nodeId, ConfState config) {
      if (nodeId == 1) {
        seen.add(config);
      }
    }
  }

  private static ConfState joint(ConfState incoming, ConfState outgoing, boolean autoLeave) {
    return ConfStates.joint(incoming, outgoing).toBuilder().setAutoLeave(autoLeave).build();
  }

  private static void assertConf(ConfState expected, ConfState actual, String who) {
    assertEquals(ConfChanges.describe(expected), ConfChanges.describe(actual), who);
  }

  /**
   * Replacing the leader with several changes in one ConfChangeV2 (auto transition): the cluster
   * enters the joint configuration (2 3 4)&&(1 2 3), the leader proposes the empty change on its
   * own once the joint entry is applied, and every node ends in (2 3 4).
   */
  @Test
  void replacingTheLeaderEntersJointAndAutoLeaves() throws Exception {
    Configs configs = new Configs();
    StepCluster c = StepCluster.create(3, b -> b.listener(configs));
    c.campaign(1);
    StepNode n4 = c.addNode(4);
    propose(c, 1, auto(single(ADD, 4), single(REMOVE, 1)));
    int n = configs.seen.size();
    assertConf(joint(voters(2, 3, 4), voters(1, 2, 3), true), configs.seen.get(n - 2), "joint");
    assertConf(voters(2, 3, 4), configs.seen.get(n - 1), "final");
    for (StepNode node : c.nodes().values()) {
      assertEquals(List.of(2L, 3L, 4L), node.confState().getVotersList(), "node " + node.id());
      assertEquals(List.of(), node.confState().getVotersOutgoingList(), "node " + node.id());
      assertFalse(node.confState().getAutoLeave(), "node " + node.id());
    }
    Entry last = n4.applied().get(n4.applied().size() - 1);
    assertEquals(EntryType.EntryConfChangeV2, last.getType());
    assertTrue(
        ConfChanges.leavesJoint(ConfChangeV2.parseFrom(last.getData())),
        "the leader's empty leave entry");
  }

  /** Without stepDownOnRemoval the replaced leader keeps leading; a transfer hands over to 4. */
  @Test
  void aReplacedLeaderHandsOverByTransfer() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    propose(c, 1, auto(single(ADD, 4), single(REMOVE, 1)));
    assertEquals(Role.LEADER, c.node(1).role(), "etcd keeps a removed leader leading");
    c.node(1).raw().transferLeader(4);
    c.stabilize();
    assertEquals(Role.LEADER, c.node(4).role());
    c.propose(4, "x");
    for (long id : new long[] {2, 3, 4}) {
      assertEquals(List.of("x"), c.node(id).appliedData(), "node " + id);
    }
  }

  /** With stepDownOnRemoval the replaced leader steps down when it leaves the joint state. */
  @Test
  void aReplacedLeaderWithStepDownStepsDownAfterLeavingJoint() {
    StepCluster c = StepCluster.create(3, b -> b.stepDownOnRemoval(true));
    c.campaign(1);
    c.addNode(4, b -> b.stepDownOnRemoval(true));
    propose(c, 1, auto(single(ADD, 4), single(REMOVE, 1)));
    assertEquals(Role.FOLLOWER, c.node(1).role());
    c.tickAll(40);
    long leader = c.leader();
    assertTrue(leader >= 2 && leader <= 4, "leader " + leader);
    c.propose(leader, "x");
    for (long id : new long[] {2, 3, 4}) {
      assertEquals(List.of("x"), c.node(id).appliedData(), "node " + id);
      assertEquals(List.of(2L, 3L, 4L), c.node(id).confState().getVotersList(), "node " + id);
    }
  }

  /** JointExplicit: the cluster stays joint, whatever else happens, until the app leaves. */
  @Test
  void anExplicitJointConfigurationStaysUntilTheAppLeavesIt() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    c.addNode(4);
    propose(c, 1, explicit(single(ADD, 4), single(REMOVE, 3)));
    ConfState joint = joint(voters(1, 2, 4), voters(1, 2, 3), false);
    c.propose(1, "a");
    c.tickAll(30);
    for (StepNode n : c.nodes().values()) {
      assertConf(joint, n.confState(), "node " + n.id());
    }
    propose(c, 1, leaveJoint());
    for (long id : new long[] {1, 2, 4}) {
      assertEquals(List.of(1L, 2L, 4L), c.node(id).confState().getVotersList(), "node " + id);
      assertEquals(List.of(), c.node(id).confState().getVotersOutgoingList(), "node " + id);
    }
    assertFalse(
        c.node(1).raw().status().progress().containsKey(3L), "3 is dropped when joint is left");
  }

  /** JointImplicit: even a single change goes through a joint configuration, left automatically. */
  @Test
  void anImplicitJointConfigurationIsLeftAutomatically() {
    Configs configs = new Configs();
    StepCluster c = StepCluster.create(3, b -> b.listener(configs));
    c.campaign(1);
    c.addNode(4);
    propose(c, 1, implicit(single(LEARNER, 4)));
    int n = configs.seen.size();
    ConfState jointWithLearner =
        joint(voters(1, 2, 3), voters(1, 2, 3), true).toBuilder().addLearners(4).build();
    assertConf(jointWithLearner, configs.seen.get(n - 2), "joint");
    ConfState fin = withLearners(voters(1, 2, 3), 4);
    for (StepNode node : c.nodes().values()) {
      assertConf(fin, node.confState(), "node " + node.id());
    }
  }

  /**
   * Demoting a voter through joint consensus: the voter is staged in learnersNext and keeps voting
   * in the outgoing half; it becomes a learner only when the joint configuration is left.
   */
  @Test
  void demotingAVoterTakesEffectWhenTheJointConfigurationIsLeft() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, explicit(single(LEARNER, 3)));
    ConfState staged =
        joint(voters(1, 2), voters(1, 2, 3), false).toBuilder().addLearnersNext(3).build();
    for (StepNode n : c.nodes().values()) {
      assertConf(staged, n.confState(), "node " + n.id());
    }
    assertFalse(c.node(1).progress(3).learner(), "still a voter while joint");
    c.campaign(3);
    assertEquals(Role.LEADER, c.node(3).role(), "an outgoing voter may still lead while joint");
    propose(c, 3, leaveJoint());
    ConfState fin = withLearners(voters(1, 2), 3);
    for (StepNode n : c.nodes().values()) {
      assertConf(fin, n.confState(), "node " + n.id());
    }
    assertEquals(
        Role.LEADER, c.node(3).role(), "a demoted leader keeps leading (no stepDownOnRemoval)");
  }

  /** A learner staged from a demotion keeps receiving the log after the joint state is left. */
  @Test
  void aDemotedVoterKeepsReceivingTheLogAsALearner() {
    StepCluster c = StepCluster.create(3);
    c.campaign(1);
    propose(c, 1, explicit(single(LEARNER, 3)));
    propose(c, 1, leaveJoint());
    c.propose(1, "a");
    assertEquals(List.of("a"), c.node(3).appliedData());
    assertTrue(c.node(1).progress(3).learner());
    c.tick(3, 50);
    assertEquals(Role.FOLLOWER, c.node(3).role(), "a learner never campaigns");
  }

  /** Builds (1 4 5)&&(1 2 3), explicit, with CheckQuorum on, leader 1. */
  private static StepCluster jointWithCheckQuorum() {
    StepCluster c = StepCluster.create(3, b -> b.checkQuorum(true));
    c.campaign(1);
    c.addNode(4, b -> b.checkQuorum(true));
    c.addNode(5, b -> b.checkQuorum(true));
    propose(c, 1, explicit(single(ADD, 4), single(ADD, 5), single(REMOVE, 2), single(REMOVE, 3)));
    assertConf(joint(voters(1, 4, 5), voters(1, 2, 3), false), c.node(5).confState(), "node 5");
    return c;
  }

  /** CheckQuorum in a joint configuration needs an active majority in each half. */
  @Test
  void checkQuorumWhileJointStepsDownWhenOneHalfIsInactive() {
    StepCluster c = jointWithCheckQuorum();
    c.isolate(4);
    c.isolate(5);
    c.tick(1, 20);
    assertEquals(Role.FOLLOWER, c.node(1).role(), "2 and 3 alone are no quorum of (1 4 5)");
  }

  /** The control: one inactive node per half leaves both majorities active. */
  @Test
  void checkQuorumWhileJointKeepsTheLeaderWithAMajorityInEachHalf() {
    StepCluster c = jointWithCheckQuorum();
    c.isolate(3);
    c.isolate(5);
    c.tick(1, 20);
    assertEquals(Role.LEADER, c.node(1).role());
  }
}

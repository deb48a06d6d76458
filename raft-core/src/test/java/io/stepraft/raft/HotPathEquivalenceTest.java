package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of the proposal path do what the long way does: a leader's acknowledgements of its
 * own appends kept as numbers (no listener) against the self-addressed messages (a listener
 * installed), and a broadcast append copied for the next follower against one built for it.
 */
class HotPathEquivalenceTest {

  @Test
  void ownAcknowledgementsAsNumbersGiveTheSameReadiesAsMessages() {
    for (int voters = 1; voters <= 3; voters++) {
      List<String> asNumbers = run(voters, RaftListener.NONE);
      List<String> asMessages = run(voters, new RaftListener() {});
      assertEquals(asMessages, asNumbers, voters + " voters");
    }
  }

  @Test
  void onlyANodeWithoutListenerAndWithSynchronousWritesKeepsNumbers() {
    assertTrue(leader(3, RaftListener.NONE).raft().ownAcksAsNumbers);
    assertFalse(leader(3, new RaftListener() {}).raft().ownAcksAsNumbers);
  }

  @Test
  void aBroadcastAppendIsCopiedForTheNextFollowerAndSharesItsEntries() {
    RawNode node = leader(3, RaftListener.NONE);
    drain(node, new ArrayList<>());
    node.propose(new byte[] {1, 2, 3});
    List<Message> apps = new ArrayList<>();
    for (Message m : node.ready().messages()) {
      if (m.getType() == MessageType.MsgApp) {
        apps.add(m);
      }
    }
    assertEquals(2, apps.size());
    Message to2 = apps.get(0);
    Message to3 = apps.get(1);
    assertEquals(1, to2.getEntriesCount());
    assertSame(to2.getEntriesList(), to3.getEntriesList());
    assertEquals(to2.toBuilder().setTo(3).build(), to3);
    assertEquals(to2.toBuilder().setTo(3).build().toByteString(), to3.toByteString());
  }

  /** Readies of {@code voters} voters led by node 1, over a few proposals, as text. */
  private static List<String> run(int voters, RaftListener listener) {
    RawNode node = leader(voters, listener);
    List<String> seen = new ArrayList<>();
    drain(node, seen);
    for (int i = 0; i < 5; i++) {
      node.propose(new byte[] {(byte) i});
      if (i % 2 == 0) {
        node.propose(new byte[] {(byte) i, 1}); // two own appends in one Ready
      }
      drain(node, seen);
    }
    return seen;
  }

  /** Node 1 of {@code voters} voters, made leader with the votes of the others. */
  private static RawNode leader(int voters, RaftListener listener) {
    ConfState.Builder cs = ConfState.newBuilder();
    for (long id = 1; id <= voters; id++) {
      cs.addVoters(id);
    }
    MemoryStorage storage = MemoryStorage.withConfState(cs.build());
    RawNode node =
        new RawNode(
            Config.builder()
                .id(1)
                .electionTicks(10)
                .heartbeatTicks(1)
                .storage(storage)
                .listener(listener)
                .build());
    node.campaign();
    drain(node, new ArrayList<>());
    assertEquals(Role.LEADER, node.basicStatus().softState().role());
    return node;
  }

  /**
   * Handles Readies until none is left, persisting to the node's storage and answering for the
   * other voters (votes granted, appends accepted); records each Ready.
   */
  private static void drain(RawNode node, List<String> seen) {
    MemoryStorage storage = (MemoryStorage) node.raft().raftLog.storage;
    while (node.hasReady()) {
      Ready rd = node.ready();
      seen.add(Describe.ready(rd));
      if (rd.hasHardState()) {
        storage.setHardState(rd.hardState());
      }
      storage.append(rd.entries());
      List<Message> answers = new ArrayList<>();
      for (Message m : rd.messages()) {
        Message.Builder a =
            Message.newBuilder().setFrom(m.getTo()).setTo(m.getFrom()).setTerm(m.getTerm());
        if (m.getType() == MessageType.MsgVote) {
          answers.add(a.setType(MessageType.MsgVoteResp).build());
        } else if (m.getType() == MessageType.MsgApp) {
          int n = m.getEntriesCount();
          long index = n == 0 ? m.getIndex() : m.getEntries(n - 1).getIndex();
          answers.add(a.setType(MessageType.MsgAppResp).setIndex(index).build());
        }
      }
      node.advance(rd);
      for (Message a : answers) {
        node.step(a);
      }
    }
  }
}

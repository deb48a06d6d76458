package io.stepraft.raft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Config;
import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of docs/testing.md's section on stepped tests, run as they stand on the page. */
class SteppedTestsExampleTest {
  // docs:begin
  @Test
  void aFollowerThatMissedWritesCatchesUpAtTheNextHeartbeat() {
    StepCluster c = StepCluster.create(3); // nodes 1..3, bootstrapped
    c.campaign(1); // every call settles the cluster: Readies handled, messages delivered
    c.isolate(3);
    c.propose(1, "a");
    c.propose(1, "b");
    assertEquals(List.of("a", "b"), c.node(2).appliedData());
    assertEquals(List.of(), c.node(3).appliedData(), "cut off");
    LogAssertions.assertLogsAgree(c); // holds at every moment

    c.recover();
    c.tickAll(); // one heartbeat round
    assertEquals(List.of("a", "b"), c.node(3).appliedData());
    LogAssertions.assertLogsEqual(c); // holds once the cluster has settled
  }

  @Test
  void aFollowerRejectsAnAppendWhosePreviousEntryItDoesNotHold() {
    // Node 2 restarts from a disk holding (2, 1) and (3, 2) after a snapshot at (1, 1).
    MemoryStorage disk =
        Storages.withEntries(
            Snapshots.snapshot(1, 1, ConfStates.voters(1, 2, 3)),
            Entries.withTerms(2, 1, 2),
            Storages.hardState(2, 0, 1));
    StepNode n = StepNode.of(Config.builder().id(2).storage(disk).build());

    // We play the leader of term 3, whose entry at index 3 is of term 3.
    n.step(Messages.message(MessageType.MsgApp, 1, 2, 3).setIndex(3).setLogTerm(3).build());
    List<Message> sent = n.drain(); // persist, apply, advance; return the messages for others

    Message resp = Messages.ofType(sent, MessageType.MsgAppResp, 1).get(0);
    assertTrue(resp.getReject());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(3, n.term());
    assertEquals(1, n.lead());
  }

  // docs:end

  @Test
  void thePageShowsThisCode() {
    DocPage.assertSectionShowsCodeOf("## Stepped tests", SteppedTestsExampleTest.class);
  }
}

package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Describe}: the exact text of every description. */
class DescribeTest {

  private static Entry normal(long term, long index, String data) {
    return Entry.newBuilder()
        .setTerm(term)
        .setIndex(index)
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  private static ConfChangeSingle single(ConfChangeType type, long id) {
    return ConfChangeSingle.newBuilder().setType(type).setNodeId(id).build();
  }

  private static Entry confChangeV2(long term, long index, ConfChangeV2 cc) {
    return Entry.newBuilder()
        .setTerm(term)
        .setIndex(index)
        .setType(EntryType.EntryConfChangeV2)
        .setData(cc.toByteString())
        .build();
  }

  private static Message.Builder msg(MessageType type, long from, long to, long term) {
    return Message.newBuilder().setType(type).setFrom(from).setTo(to).setTerm(term);
  }

  private static final ConfState VOTERS_123 =
      ConfState.newBuilder().addVoters(1).addVoters(2).addVoters(3).build();

  @Test
  void aMsgAppShowsRouteTermLogPositionCommitAndItsEntry() {
    Message m =
        msg(MessageType.MsgApp, 1, 2, 2)
            .setLogTerm(2)
            .setIndex(5)
            .setCommit(5)
            .addEntries(normal(2, 6, "foo"))
            .build();
    assertEquals(
        "1->2 MsgApp Term:2 Log:2/5 Commit:5 Entries:[2/6 EntryNormal \"foo\"]",
        Describe.message(m));
  }

  @Test
  void severalEntriesGoOnIndentedLinesOfTheirOwn() {
    Message m =
        msg(MessageType.MsgApp, 1, 3, 2)
            .setLogTerm(1)
            .setIndex(3)
            .setCommit(3)
            .addEntries(normal(2, 4, ""))
            .addEntries(normal(2, 5, "x"))
            .build();
    assertEquals(
        "1->3 MsgApp Term:2 Log:1/3 Commit:3 Entries:[\n"
            + "  2/4 EntryNormal \"\"\n"
            + "  2/5 EntryNormal \"x\"\n"
            + "]",
        Describe.message(m));
  }

  @Test
  void aRejectionShowsItsHintAndAVoteRequestItsLogPosition() {
    Message rejected =
        msg(MessageType.MsgAppResp, 2, 1, 3)
            .setLogTerm(1)
            .setIndex(6)
            .setReject(true)
            .setRejectHint(4)
            .build();
    assertEquals("2->1 MsgAppResp Term:3 Log:1/6 Rejected (Hint: 4)", Describe.message(rejected));
    Message vote = msg(MessageType.MsgPreVote, 3, 1, 4).setLogTerm(2).setIndex(9).build();
    assertEquals("3->1 MsgPreVote Term:4 Log:2/9", Describe.message(vote));
  }

  @Test
  void aContextIsShownAsTextOrHex() {
    Message hb =
        msg(MessageType.MsgHeartbeat, 1, 2, 2)
            .setCommit(4)
            .setContext(ByteString.copyFrom(new byte[] {0, 0, 0, 7}))
            .build();
    assertEquals(
        "1->2 MsgHeartbeat Term:2 Log:0/0 Commit:4 Context:0x00000007", Describe.message(hb));
    Message campaignTransfer =
        msg(MessageType.MsgVote, 2, 3, 5)
            .setLogTerm(4)
            .setIndex(8)
            .setContext(ByteString.copyFromUtf8("CampaignTransfer"))
            .build();
    assertEquals(
        "2->3 MsgVote Term:5 Log:4/8 Context:\"CampaignTransfer\"",
        Describe.message(campaignTransfer));
  }

  @Test
  void aSnapshotMessageShowsTheSnapshotOnAnIndentedLine() {
    Snapshot snap =
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(11).setTerm(2).setConfState(VOTERS_123))
            .build();
    Message m = msg(MessageType.MsgSnap, 1, 3, 2).setSnapshot(snap).build();
    assertEquals(
        "1->3 MsgSnap Term:2 Log:0/0\n  Snapshot: Index:11 Term:2 ConfState:(Voters:[1 2 3])",
        Describe.message(m));
  }

  @Test
  void storageMessagesNameTheLocalThreadsAndNestTheirResponses() {
    Message append =
        msg(MessageType.MsgStorageAppend, 1, -1, 2)
            .setVote(1)
            .setCommit(3)
            .addEntries(normal(2, 4, "a"))
            .addResponses(msg(MessageType.MsgStorageAppendResp, -1, 1, 2).setLogTerm(2).setIndex(4))
            .build();
    assertEquals(
        "1->AppendThread MsgStorageAppend Term:2 Log:0/0 Commit:3 Vote:1"
            + " Entries:[2/4 EntryNormal \"a\"] Responses:[\n"
            + "  AppendThread->1 MsgStorageAppendResp Term:2 Log:2/4\n"
            + "]",
        Describe.message(append));
    Message apply =
        Message.newBuilder().setType(MessageType.MsgStorageApply).setFrom(2).setTo(-2).build();
    assertEquals("2->ApplyThread MsgStorageApply Term:0 Log:0/0", Describe.message(apply));
    Message hup = Message.newBuilder().setType(MessageType.MsgHup).build();
    assertEquals("None->None MsgHup Term:0 Log:0/0", Describe.message(hup));
  }

  @Test
  void confChangeEntriesAreDecoded() {
    ConfChangeV2 joint =
        ConfChangeV2.newBuilder()
            .addChanges(single(ConfChangeType.ConfChangeAddNode, 4))
            .addChanges(single(ConfChangeType.ConfChangeAddLearnerNode, 5))
            .addChanges(single(ConfChangeType.ConfChangeRemoveNode, 3))
            .addChanges(single(ConfChangeType.ConfChangeUpdateNode, 2))
            .build();
    assertEquals("2/7 EntryConfChangeV2 v4 l5 r3 u2", Describe.entry(confChangeV2(2, 7, joint)));
    ConfChangeV2 explicit =
        joint.toBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
            .build();
    assertEquals(
        "2/7 EntryConfChangeV2 v4 l5 r3 u2 transition=explicit",
        Describe.entry(confChangeV2(2, 7, explicit)));
    ConfChangeV2 implicit =
        ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointImplicit)
            .addChanges(single(ConfChangeType.ConfChangeAddNode, 2))
            .setContext(ByteString.copyFromUtf8("ctx"))
            .build();
    assertEquals(
        "3/9 EntryConfChangeV2 v2 transition=implicit Context:\"ctx\"",
        Describe.entry(confChangeV2(3, 9, implicit)));
    assertEquals(
        "2/8 EntryConfChangeV2 leave-joint",
        Describe.entry(confChangeV2(2, 8, ConfChangeV2.getDefaultInstance())));
  }

  @Test
  void aV1ConfChangeIsDecodedToo() {
    Entry v1 =
        Entry.newBuilder()
            .setTerm(1)
            .setIndex(2)
            .setType(EntryType.EntryConfChange)
            .setData(
                ConfChange.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddNode)
                    .setNodeId(2)
                    .build()
                    .toByteString())
            .build();
    assertEquals("1/2 EntryConfChange v2", Describe.entry(v1));
  }

  @Test
  void anUndecodableConfChangeShowsItsBytes() {
    Entry broken =
        Entry.newBuilder()
            .setTerm(1)
            .setIndex(2)
            .setType(EntryType.EntryConfChangeV2)
            .setData(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))
            .build();
    assertEquals("1/2 EntryConfChangeV2 undecodable 0xff01", Describe.entry(broken));
  }

  @Test
  void payloadsAreQuotedTextOrHexAndCutWithTheirLength() {
    assertEquals("\"\"", Describe.bytes(ByteString.EMPTY));
    assertEquals("\"héllo wörld\"", Describe.bytes(ByteString.copyFromUtf8("héllo wörld")));
    assertEquals(
        "\"say \\\"hi\\\" \\\\o/\"", Describe.bytes(ByteString.copyFromUtf8("say \"hi\" \\o/")));
    assertEquals("0x610a62", Describe.bytes(ByteString.copyFromUtf8("a\nb")));
    assertEquals("0xc328", Describe.bytes(ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28})));
    String long100 = "x".repeat(100);
    assertEquals(
        "\"" + "x".repeat(64) + "\"... (100 bytes)",
        Describe.bytes(ByteString.copyFromUtf8(long100)));
    assertEquals(
        "\"" + "x".repeat(64) + "\"", Describe.bytes(ByteString.copyFromUtf8("x".repeat(64))));
    // The cut counts characters, never splitting one: 70 two-byte characters.
    String umlauts = "ü".repeat(70);
    assertEquals(
        "\"" + "ü".repeat(64) + "\"... (140 bytes)",
        Describe.bytes(ByteString.copyFrom(umlauts, StandardCharsets.UTF_8)));
    byte[] binary = new byte[40];
    binary[0] = 1;
    assertEquals(
        "0x01" + "00".repeat(31) + "... (40 bytes)", Describe.bytes(ByteString.copyFrom(binary)));
  }

  @Test
  void aCustomFormatterRendersNormalEntriesOnly() {
    ConfChangeV2 add =
        ConfChangeV2.newBuilder().addChanges(single(ConfChangeType.ConfChangeAddNode, 4)).build();
    Message m =
        msg(MessageType.MsgApp, 1, 2, 2)
            .setLogTerm(2)
            .setIndex(5)
            .addEntries(normal(2, 6, "put k v"))
            .addEntries(confChangeV2(2, 7, add))
            .build();
    assertEquals(
        "1->2 MsgApp Term:2 Log:2/5 Entries:[\n"
            + "  2/6 EntryNormal <7 bytes>\n"
            + "  2/7 EntryConfChangeV2 v4\n"
            + "]",
        Describe.message(m, data -> "<" + data.size() + " bytes>"));
  }

  @Test
  void statesAndSnapshots() {
    assertEquals(
        "Term:2 Vote:1 Commit:5",
        Describe.hardState(HardState.newBuilder().setTerm(2).setVote(1).setCommit(5).build()));
    assertEquals("Term:3 Commit:0", Describe.hardState(HardState.newBuilder().setTerm(3).build()));
    assertEquals(
        "Lead:0 Role:PRE_CANDIDATE", Describe.softState(new SoftState(0, Role.PRE_CANDIDATE)));
    assertEquals("Voters:[]", Describe.confState(ConfState.getDefaultInstance()));
    ConfState joint =
        ConfState.newBuilder()
            .addAllVoters(List.of(1L, 2L, 4L))
            .addAllVotersOutgoing(List.of(1L, 2L, 3L))
            .addLearners(5)
            .addLearnersNext(3)
            .setAutoLeave(true)
            .build();
    assertEquals(
        "Voters:[1 2 4] VotersOutgoing:[1 2 3] Learners:[5] LearnersNext:[3] AutoLeave:true",
        Describe.confState(joint));
    Snapshot snap =
        Snapshot.newBuilder()
            .setMetadata(
                SnapshotMetadata.newBuilder().setIndex(9).setTerm(2).setConfState(VOTERS_123))
            .setData(ByteString.copyFromUtf8("k=v"))
            .build();
    assertEquals("Index:9 Term:2 ConfState:(Voters:[1 2 3]) Data:\"k=v\"", Describe.snapshot(snap));
    assertEquals(
        "Index:7 Context:\"req-1\"",
        Describe.readState(new ReadState(7, "req-1".getBytes(StandardCharsets.UTF_8))));
    assertEquals("18446744073709551613", Describe.nodeId(-3));
  }

  @Test
  void aReadyListsItsPartsInTheOrderTheHostHandlesThem() {
    MemoryStorage storage = new MemoryStorage();
    RawNode node =
        new RawNode(
            Config.builder().id(1).electionTicks(10).heartbeatTicks(1).storage(storage).build());
    node.bootstrap(List.of(Peer.of(1)));
    Ready rd = node.ready();
    assertEquals(
        "Ready MustSync=true:\n"
            + "HardState Term:1 Commit:1\n"
            + "Entries:\n"
            + "1/1 EntryConfChange v1\n"
            + "CommittedEntries:\n"
            + "1/1 EntryConfChange v1",
        Describe.ready(rd));
    node.applyConfChange(ConfChangeEntry.decode(rd.committedEntries().get(0)));
    handle(node, storage, rd);

    node.campaign();
    rd = node.ready();
    // The candidate counts its own vote once the vote is durable, at advance().
    assertEquals(
        "Ready MustSync=true:\n"
            + "SoftState Lead:0 Role:CANDIDATE\n"
            + "HardState Term:2 Vote:1 Commit:1",
        Describe.ready(rd));
    handle(node, storage, rd);
    rd = node.ready();
    assertEquals(
        "Ready MustSync=true:\n"
            + "SoftState Lead:1 Role:LEADER\n"
            + "Entries:\n"
            + "2/2 EntryNormal \"\"",
        Describe.ready(rd));
    handle(node, storage, rd);

    node.readIndex("r".getBytes(StandardCharsets.UTF_8));
    node.propose("p".getBytes(StandardCharsets.UTF_8));
    rd = node.ready();
    assertEquals(
        "Ready MustSync=true:\n"
            + "HardState Term:2 Vote:1 Commit:2\n"
            + "ReadStates:\n"
            + "Index:2 Context:\"r\"\n"
            + "Entries:\n"
            + "2/3 EntryNormal <p>\n"
            + "CommittedEntries:\n"
            + "2/2 EntryNormal <>",
        Describe.ready(rd, data -> "<" + data.toStringUtf8() + ">"));
  }

  private static void handle(RawNode node, MemoryStorage storage, Ready rd) {
    storage.append(rd.entries());
    if (rd.hasHardState()) {
      storage.setHardState(rd.hardState());
    }
    node.advance(rd);
  }

  @Test
  void anEmptyReadySaysSo() {
    Ready empty = new Ready(null, null, List.of(), List.of(), null, List.of(), List.of(), false);
    assertEquals("<empty Ready>", Describe.ready(empty));
  }
}

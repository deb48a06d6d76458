package io.stepraft.raft.pb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every wire type, with non-default values in every field, decodes to what was encoded. */
final class WireRoundTripTest {

  /** Larger than Long.MAX_VALUE as an unsigned 64-bit number: uint64 must keep all 64 bits. */
  private static final long HUGE = 0xFFFF_FFFF_FFFF_FFF0L;

  private static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  static Entry entry() {
    return Entry.newBuilder()
        .setType(EntryType.EntryConfChange)
        .setTerm(7)
        .setIndex(HUGE)
        .setData(bytes("payload"))
        .build();
  }

  static ConfState confState() {
    return ConfState.newBuilder()
        .addVoters(1)
        .addVoters(HUGE)
        .addLearners(4)
        .addVotersOutgoing(1)
        .addVotersOutgoing(2)
        .addLearnersNext(5)
        .setAutoLeave(true)
        .build();
  }

  static SnapshotMetadata snapshotMetadata() {
    return SnapshotMetadata.newBuilder().setConfState(confState()).setIndex(100).setTerm(9).build();
  }

  static Snapshot snapshot() {
    return Snapshot.newBuilder().setData(bytes("state")).setMetadata(snapshotMetadata()).build();
  }

  static Message message() {
    Message append =
        Message.newBuilder()
            .setType(MessageType.MsgAppResp)
            .setTo(3)
            .setFrom(1)
            .setTerm(2)
            .setIndex(HUGE)
            .setReject(true)
            .setRejectHint(5)
            .setLogTerm(1)
            .build();
    Message apply =
        Message.newBuilder().setType(MessageType.MsgStorageApplyResp).addEntries(entry()).build();
    return Message.newBuilder()
        .setType(MessageType.MsgStorageAppend)
        .setTo(HUGE)
        .setFrom(1)
        .setTerm(8)
        .setLogTerm(7)
        .setIndex(99)
        .addEntries(entry())
        .addEntries(Entry.newBuilder().setTerm(8).setIndex(100).setData(bytes("x")))
        .setCommit(98)
        .setSnapshot(snapshot())
        .setReject(true)
        .setRejectHint(42)
        .setContext(bytes("ctx"))
        .setVote(3)
        .addResponses(append)
        .addResponses(apply)
        .build();
  }

  static ConfChange confChange() {
    return ConfChange.newBuilder()
        .setId(11)
        .setType(ConfChangeType.ConfChangeAddLearnerNode)
        .setNodeId(HUGE)
        .setContext(bytes("learner"))
        .build();
  }

  static ConfChangeSingle confChangeSingle() {
    return ConfChangeSingle.newBuilder()
        .setType(ConfChangeType.ConfChangeRemoveNode)
        .setNodeId(6)
        .build();
  }

  static ConfChangeV2 confChangeV2() {
    return ConfChangeV2.newBuilder()
        .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
        .addChanges(confChangeSingle())
        .addChanges(
            ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeUpdateNode).setNodeId(7))
        .setContext(bytes("v2"))
        .build();
  }

  @Test
  void messageWithNestedResponsesRoundTrips() throws InvalidProtocolBufferException {
    Message m = message();

    Message back = Message.parseFrom(m.toByteArray());

    assertEquals(m, back);
    assertEquals(2, back.getResponsesCount());
    assertEquals(MessageType.MsgStorageApplyResp, back.getResponses(1).getType());
    assertEquals(HUGE, back.getResponses(0).getIndex());
  }

  @Test
  void entryRoundTripsWithAllSixtyFourBitsOfIndex() throws InvalidProtocolBufferException {
    assertEquals(entry(), Entry.parseFrom(entry().toByteArray()));
    assertEquals(HUGE, Entry.parseFrom(entry().toByteArray()).getIndex());
  }

  @Test
  void hardStateRoundTrips() throws InvalidProtocolBufferException {
    HardState hs = HardState.newBuilder().setTerm(HUGE).setVote(2).setCommit(77).build();

    assertEquals(hs, HardState.parseFrom(hs.toByteArray()));
  }

  @Test
  void confStateRoundTrips() throws InvalidProtocolBufferException {
    assertEquals(confState(), ConfState.parseFrom(confState().toByteArray()));
  }

  @Test
  void snapshotRoundTrips() throws InvalidProtocolBufferException {
    assertEquals(snapshot(), Snapshot.parseFrom(snapshot().toByteArray()));
  }

  @Test
  void snapshotMetadataRoundTrips() throws InvalidProtocolBufferException {
    assertEquals(snapshotMetadata(), SnapshotMetadata.parseFrom(snapshotMetadata().toByteArray()));
  }

  @Test
  void confChangeRoundTrips() throws InvalidProtocolBufferException {
    assertEquals(confChange(), ConfChange.parseFrom(confChange().toByteArray()));
  }

  @Test
  void confChangeSingleRoundTrips() throws InvalidProtocolBufferException {
    assertEquals(confChangeSingle(), ConfChangeSingle.parseFrom(confChangeSingle().toByteArray()));
  }

  @Test
  void confChangeV2RoundTrips() throws InvalidProtocolBufferException {
    assertEquals(confChangeV2(), ConfChangeV2.parseFrom(confChangeV2().toByteArray()));
  }

  @Test
  void confChangeV2CarriedInAnEntryRoundTrips() throws InvalidProtocolBufferException {
    Entry e =
        Entry.newBuilder()
            .setType(EntryType.EntryConfChangeV2)
            .setTerm(3)
            .setIndex(12)
            .setData(confChangeV2().toByteString())
            .build();

    Entry back = Entry.parseFrom(e.toByteArray());

    assertEquals(confChangeV2(), ConfChangeV2.parseFrom(back.getData()));
  }

  @Test
  void emptyConfChangeV2MeaningLeaveJointEncodesToNoBytes() throws InvalidProtocolBufferException {
    ConfChangeV2 leave = ConfChangeV2.getDefaultInstance();

    assertEquals(0, leave.toByteArray().length);
    ConfChangeV2 back = ConfChangeV2.parseFrom(leave.toByteArray());
    assertEquals(0, back.getChangesCount());
    assertEquals(ConfChangeTransition.ConfChangeTransitionAuto, back.getTransition());
    assertTrue(back.getContext().isEmpty());
  }
}

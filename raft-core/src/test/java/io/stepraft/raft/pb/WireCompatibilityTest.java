package io.stepraft.raft.pb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of RAFTPB-WIRE.md, encoded by the reference protoc from etcd's schema in etcd's
 * style (zeros written). Decoding them field by field, and re-encoding them, is the evidence that
 * stepraft and etcd understand each other's bytes.
 */
final class WireCompatibilityTest {

  static final String MSG_APP_VECTOR =
      "08031002180120052804300a3a0d08001005180b220568656c6c6f3a0808021005180c2200"
          + "40094a0c0a0012080a022800100018005000580062006800";
  static final String HARD_STATE_VECTOR = "08071003182a";
  static final String CONF_STATE_VECTOR = "0801080208031004180120052801";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void etcdMsgAppVectorDecodesToEveryDocumentedField() throws InvalidProtocolBufferException {
    Message m = Message.parseFrom(hex(MSG_APP_VECTOR));

    assertEquals(MessageType.MsgApp, m.getType());
    assertEquals(2, m.getTo());
    assertEquals(1, m.getFrom());
    assertEquals(5, m.getTerm());
    assertEquals(4, m.getLogTerm());
    assertEquals(10, m.getIndex());
    assertEquals(9, m.getCommit());
    assertFalse(m.getReject());
    assertEquals(0, m.getRejectHint());
    assertEquals(0, m.getVote());
    assertEquals(ByteString.EMPTY, m.getContext());
    assertEquals(0, m.getResponsesCount());
    assertEquals(2, m.getEntriesCount());
    assertEntry(m.getEntries(0), EntryType.EntryNormal, 5, 11, "hello");
    assertEntry(m.getEntries(1), EntryType.EntryConfChangeV2, 5, 12, "");
    assertEmptySnapshot(m);
  }

  @Test
  void etcdWritesZerosSoDecodedZeroFieldsArePresent() throws InvalidProtocolBufferException {
    Message m = Message.parseFrom(hex(MSG_APP_VECTOR));

    assertTrue(m.hasReject(), "reject");
    assertTrue(m.hasRejectHint(), "rejectHint");
    assertTrue(m.hasContext(), "context");
    assertTrue(m.hasVote(), "vote");
    assertTrue(m.getEntries(1).hasData(), "entries[1].Data");
  }

  private static void assertEntry(Entry e, EntryType type, long term, long index, String data) {
    assertEquals(type, e.getType());
    assertEquals(term, e.getTerm());
    assertEquals(index, e.getIndex());
    assertEquals(data, e.getData().toString(StandardCharsets.UTF_8));
  }

  private static void assertEmptySnapshot(Message m) {
    assertTrue(m.hasSnapshot(), "snapshot present");
    Snapshot s = m.getSnapshot();
    assertEquals(ByteString.EMPTY, s.getData());
    assertTrue(s.hasMetadata(), "snapshot.metadata present");
    SnapshotMetadata md = s.getMetadata();
    assertEquals(0, md.getIndex());
    assertEquals(0, md.getTerm());
    assertTrue(md.hasConfState(), "snapshot.metadata.conf_state present");
    ConfState cs = md.getConfState();
    assertEquals(0, cs.getVotersCount());
    assertEquals(0, cs.getLearnersCount());
    assertEquals(0, cs.getVotersOutgoingCount());
    assertEquals(0, cs.getLearnersNextCount());
    assertFalse(cs.getAutoLeave());
  }

  @Test
  void msgAppVectorSurvivesReencoding() throws InvalidProtocolBufferException {
    Message decoded = Message.parseFrom(hex(MSG_APP_VECTOR));

    byte[] reencoded = decoded.toByteArray();

    assertEquals(decoded, Message.parseFrom(reencoded));
    // Presence survives decoding, so the zeros etcd wrote are written back: the bytes match too.
    assertEquals(MSG_APP_VECTOR, hex(reencoded));
  }

  @Test
  void msgAppBuiltWithoutDefaultsDecodesLikeEtcdVector() throws InvalidProtocolBufferException {
    Message ours = msgAppWithOnlyNonDefaultFields();

    Message etcds = Message.parseFrom(hex(MSG_APP_VECTOR));
    Message back = Message.parseFrom(ours.toByteArray());

    assertTrue(ours.getSerializedSize() < hex(MSG_APP_VECTOR).length, "defaults are omitted");
    assertNull(LogicalValues.firstDifference(etcds, back));
  }

  @Test
  void etcdStyleEncoderReproducesMsgAppVector() {
    byte[] encoded = EtcdStyleEncoder.message(msgAppWithOnlyNonDefaultFields());

    assertEquals(MSG_APP_VECTOR, hex(encoded));
  }

  static Message msgAppWithOnlyNonDefaultFields() {
    return Message.newBuilder()
        .setType(MessageType.MsgApp)
        .setTo(2)
        .setFrom(1)
        .setTerm(5)
        .setLogTerm(4)
        .setIndex(10)
        .addEntries(
            Entry.newBuilder()
                .setTerm(5)
                .setIndex(11)
                .setData(ByteString.copyFrom("hello", StandardCharsets.UTF_8)))
        .addEntries(Entry.newBuilder().setTerm(5).setIndex(12).setType(EntryType.EntryConfChangeV2))
        .setCommit(9)
        .build();
  }

  @Test
  void etcdHardStateVectorDecodesAndEncodesByteForByte() throws InvalidProtocolBufferException {
    HardState hs = HardState.parseFrom(hex(HARD_STATE_VECTOR));

    assertEquals(7, hs.getTerm());
    assertEquals(3, hs.getVote());
    assertEquals(42, hs.getCommit());
    HardState built = HardState.newBuilder().setTerm(7).setVote(3).setCommit(42).build();
    assertArrayEquals(hex(HARD_STATE_VECTOR), built.toByteArray());
    assertArrayEquals(hex(HARD_STATE_VECTOR), hs.toByteArray());
  }

  @Test
  void etcdConfStateVectorDecodesAndEncodesUnpackedByteForByte()
      throws InvalidProtocolBufferException {
    ConfState cs = ConfState.parseFrom(hex(CONF_STATE_VECTOR));

    assertEquals(List.of(1L, 2L, 3L), cs.getVotersList());
    assertEquals(List.of(4L), cs.getLearnersList());
    assertEquals(List.of(1L), cs.getVotersOutgoingList());
    assertEquals(List.of(5L), cs.getLearnersNextList());
    assertTrue(cs.getAutoLeave());
    ConfState built =
        ConfState.newBuilder()
            .addVoters(1)
            .addVoters(2)
            .addVoters(3)
            .addLearners(4)
            .addVotersOutgoing(1)
            .addLearnersNext(5)
            .setAutoLeave(true)
            .build();
    assertArrayEquals(hex(CONF_STATE_VECTOR), built.toByteArray());
    assertArrayEquals(hex(CONF_STATE_VECTOR), cs.toByteArray());
  }

  @Test
  void etcdStyleEncoderReproducesHardStateAndConfStateVectors() throws Exception {
    HardState hs = HardState.parseFrom(hex(HARD_STATE_VECTOR));
    ConfState cs = ConfState.parseFrom(hex(CONF_STATE_VECTOR));

    assertEquals(HARD_STATE_VECTOR, hex(EtcdStyleEncoder.hardState(hs)));
    assertEquals(CONF_STATE_VECTOR, hex(EtcdStyleEncoder.confState(cs)));
  }
}

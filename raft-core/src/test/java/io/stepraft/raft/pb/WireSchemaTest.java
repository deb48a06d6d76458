package io.stepraft.raft.pb;

import static com.google.protobuf.Descriptors.FieldDescriptor.Type.BOOL;
import static com.google.protobuf.Descriptors.FieldDescriptor.Type.BYTES;
import static com.google.protobuf.Descriptors.FieldDescriptor.Type.ENUM;
import static com.google.protobuf.Descriptors.FieldDescriptor.Type.MESSAGE;
import static com.google.protobuf.Descriptors.FieldDescriptor.Type.UINT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema facts of RAFTPB-WIRE.md, checked against our generated descriptors: proto2, package
 * raftpb, every enum value number, every field's number, type and label, and no packed lists.
 */
final class WireSchemaTest {

  /** One row of the field table: a field of an etcd raftpb message. */
  private record Field(String name, int number, FieldDescriptor.Type type, boolean repeated) {}

  private static Field optional(String name, int number, FieldDescriptor.Type type) {
    return new Field(name, number, type, false);
  }

  private static Field repeated(String name, int number, FieldDescriptor.Type type) {
    return new Field(name, number, type, true);
  }

  @Test
  void fileIsProto2InPackageRaftpb() {
    FileDescriptor file = RaftProtos.getDescriptor();

    String syntax = file.toProto().getSyntax();
    // protoc leaves the syntax field empty for proto2 files.
    assertTrue(syntax.isEmpty() || syntax.equals("proto2"), "syntax was '" + syntax + "'");
    assertFalse(file.toProto().hasEdition(), "not an editions file");
    assertEquals("raftpb", file.getPackage());
    assertEquals("raftpb.Message", Message.getDescriptor().getFullName());
  }

  @Test
  void messageTypeHasEtcdsTwentyFourValuesInOrder() {
    assertEnum(
        MessageType.getDescriptor(),
        List.of(
            "MsgHup",
            "MsgBeat",
            "MsgProp",
            "MsgApp",
            "MsgAppResp",
            "MsgVote",
            "MsgVoteResp",
            "MsgSnap",
            "MsgHeartbeat",
            "MsgHeartbeatResp",
            "MsgUnreachable",
            "MsgSnapStatus",
            "MsgCheckQuorum",
            "MsgTransferLeader",
            "MsgTimeoutNow",
            "MsgReadIndex",
            "MsgReadIndexResp",
            "MsgPreVote",
            "MsgPreVoteResp",
            "MsgStorageAppend",
            "MsgStorageAppendResp",
            "MsgStorageApply",
            "MsgStorageApplyResp",
            "MsgForgetLeader"));
    assertEquals(24, MessageType.values().length);
    assertEquals(23, MessageType.MsgForgetLeader.getNumber());
  }

  @Test
  void entryTypeValuesMatchEtcd() {
    assertEnum(
        EntryType.getDescriptor(), List.of("EntryNormal", "EntryConfChange", "EntryConfChangeV2"));
  }

  @Test
  void confChangeTypeValuesMatchEtcd() {
    assertEnum(
        ConfChangeType.getDescriptor(),
        List.of(
            "ConfChangeAddNode",
            "ConfChangeRemoveNode",
            "ConfChangeUpdateNode",
            "ConfChangeAddLearnerNode"));
  }

  @Test
  void confChangeTransitionValuesMatchEtcd() {
    assertEnum(
        ConfChangeTransition.getDescriptor(),
        List.of(
            "ConfChangeTransitionAuto",
            "ConfChangeTransitionJointImplicit",
            "ConfChangeTransitionJointExplicit"));
  }

  /** Asserts that the enum has exactly {@code names}, numbered 0, 1, 2... in that order. */
  private static void assertEnum(EnumDescriptor e, List<String> names) {
    assertEquals(names.size(), e.getValues().size(), e.getName() + " value count");
    for (int number = 0; number < names.size(); number++) {
      assertNotNull(
          e.findValueByName(names.get(number)), e.getName() + " lacks " + names.get(number));
      assertEquals(number, e.findValueByName(names.get(number)).getNumber(), names.get(number));
    }
    assertTrue(e.isClosed(), e.getName() + " is a closed (proto2) enum");
  }

  @Test
  void entryFieldsMatchEtcd() {
    assertFields(
        Entry.getDescriptor(),
        optional("Type", 1, ENUM),
        optional("Term", 2, UINT64),
        optional("Index", 3, UINT64),
        optional("Data", 4, BYTES));
  }

  @Test
  void snapshotMetadataFieldsMatchEtcd() {
    assertFields(
        SnapshotMetadata.getDescriptor(),
        optional("conf_state", 1, MESSAGE),
        optional("index", 2, UINT64),
        optional("term", 3, UINT64));
  }

  @Test
  void snapshotFieldsMatchEtcd() {
    assertFields(
        Snapshot.getDescriptor(), optional("data", 1, BYTES), optional("metadata", 2, MESSAGE));
  }

  @Test
  void messageFieldsMatchEtcd() {
    assertFields(
        Message.getDescriptor(),
        optional("type", 1, ENUM),
        optional("to", 2, UINT64),
        optional("from", 3, UINT64),
        optional("term", 4, UINT64),
        optional("logTerm", 5, UINT64),
        optional("index", 6, UINT64),
        repeated("entries", 7, MESSAGE),
        optional("commit", 8, UINT64),
        optional("snapshot", 9, MESSAGE),
        optional("reject", 10, BOOL),
        optional("rejectHint", 11, UINT64),
        optional("context", 12, BYTES),
        optional("vote", 13, UINT64),
        repeated("responses", 14, MESSAGE));
  }

  @Test
  void hardStateFieldsMatchEtcd() {
    assertFields(
        HardState.getDescriptor(),
        optional("term", 1, UINT64),
        optional("vote", 2, UINT64),
        optional("commit", 3, UINT64));
  }

  @Test
  void confStateFieldsMatchEtcdAndAreNotPacked() {
    assertFields(
        ConfState.getDescriptor(),
        repeated("voters", 1, UINT64),
        repeated("learners", 2, UINT64),
        repeated("voters_outgoing", 3, UINT64),
        repeated("learners_next", 4, UINT64),
        optional("auto_leave", 5, BOOL));
  }

  @Test
  void confChangeFieldsMatchEtcd() {
    assertFields(
        ConfChange.getDescriptor(),
        optional("id", 1, UINT64),
        optional("type", 2, ENUM),
        optional("node_id", 3, UINT64),
        optional("context", 4, BYTES));
  }

  @Test
  void confChangeSingleFieldsMatchEtcd() {
    assertFields(
        ConfChangeSingle.getDescriptor(),
        optional("type", 1, ENUM),
        optional("node_id", 2, UINT64));
  }

  @Test
  void confChangeV2FieldsMatchEtcd() {
    assertFields(
        ConfChangeV2.getDescriptor(),
        optional("transition", 1, ENUM),
        repeated("changes", 2, MESSAGE),
        optional("context", 3, BYTES));
  }

  @Test
  void nestedFieldsReferToTheRightTypes() {
    assertEquals(Entry.getDescriptor(), field(Message.getDescriptor(), "entries").getMessageType());
    assertEquals(
        Snapshot.getDescriptor(), field(Message.getDescriptor(), "snapshot").getMessageType());
    assertEquals(
        Message.getDescriptor(), field(Message.getDescriptor(), "responses").getMessageType());
    assertEquals(MessageType.getDescriptor(), field(Message.getDescriptor(), "type").getEnumType());
    assertEquals(EntryType.getDescriptor(), field(Entry.getDescriptor(), "Type").getEnumType());
    assertEquals(
        SnapshotMetadata.getDescriptor(),
        field(Snapshot.getDescriptor(), "metadata").getMessageType());
    assertEquals(
        ConfState.getDescriptor(),
        field(SnapshotMetadata.getDescriptor(), "conf_state").getMessageType());
    assertEquals(
        ConfChangeType.getDescriptor(), field(ConfChange.getDescriptor(), "type").getEnumType());
    assertEquals(
        ConfChangeType.getDescriptor(),
        field(ConfChangeSingle.getDescriptor(), "type").getEnumType());
    assertEquals(
        ConfChangeTransition.getDescriptor(),
        field(ConfChangeV2.getDescriptor(), "transition").getEnumType());
    assertEquals(
        ConfChangeSingle.getDescriptor(),
        field(ConfChangeV2.getDescriptor(), "changes").getMessageType());
  }

  private static FieldDescriptor field(Descriptor d, String name) {
    FieldDescriptor f = d.findFieldByName(name);
    assertNotNull(f, d.getName() + " lacks field " + name);
    return f;
  }

  /**
   * Asserts that {@code d} has exactly the {@code expected} fields: same numbers, types and labels,
   * scalars optional with presence, lists repeated and not packed.
   */
  private static void assertFields(Descriptor d, Field... expected) {
    assertEquals(expected.length, d.getFields().size(), d.getName() + " field count");
    for (Field e : expected) {
      FieldDescriptor f = field(d, e.name());
      String where = d.getName() + "." + e.name();
      assertEquals(e.number(), f.getNumber(), where + " number");
      assertEquals(e.type(), f.getType(), where + " type");
      assertEquals(e.repeated(), f.isRepeated(), where + " repeated");
      assertFalse(f.isRequired(), where + " must not be required");
      assertFalse(f.isPacked(), where + " must not be packed");
      assertEquals(!e.repeated(), f.hasPresence(), where + " presence");
    }
  }
}

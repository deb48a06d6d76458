package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeTransition;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConfChangeEntry#decode}: both encodings, the leave-joint change, and what it refuses. */
class ConfChangeEntryTest {

  private static Entry entry(EntryType type, ByteString data) {
    return Entry.newBuilder().setIndex(7).setTerm(2).setType(type).setData(data).build();
  }

  @Test
  void aV1ChangeDecodesAsTheEquivalentV2ChangeWithItsContext() {
    ConfChange v1 =
        ConfChange.newBuilder()
            .setType(ConfChangeType.ConfChangeAddLearnerNode)
            .setNodeId(4)
            .setContext(ByteString.copyFromUtf8("10.0.0.4:7000"))
            .build();
    ConfChangeV2 expected =
        ConfChangeV2.newBuilder()
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddLearnerNode)
                    .setNodeId(4))
            .setContext(ByteString.copyFromUtf8("10.0.0.4:7000"))
            .build();
    ConfChangeV2 decoded =
        ConfChangeEntry.decode(entry(EntryType.EntryConfChange, v1.toByteString()));
    assertEquals(expected, decoded);
    assertEquals(ConfChangeTransition.ConfChangeTransitionAuto, decoded.getTransition());
  }

  @Test
  void aV2ChangeDecodesAsItself() {
    ConfChangeV2 v2 =
        ConfChangeV2.newBuilder()
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeAddNode)
                    .setNodeId(4))
            .addChanges(
                ConfChangeSingle.newBuilder()
                    .setType(ConfChangeType.ConfChangeRemoveNode)
                    .setNodeId(1))
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
            .build();
    assertEquals(v2, ConfChangeEntry.decode(entry(EntryType.EntryConfChangeV2, v2.toByteString())));
  }

  @Test
  void anEmptyV2EntryIsTheChangeThatLeavesAJointConfiguration() {
    ConfChangeV2 cc = ConfChangeEntry.decode(entry(EntryType.EntryConfChangeV2, ByteString.EMPTY));
    assertEquals(0, cc.getChangesCount());
    assertEquals(ConfChangeTransition.ConfChangeTransitionAuto, cc.getTransition());

    ConfState joint = ConfState.newBuilder().addVoters(1).addVoters(2).addVotersOutgoing(1).build();
    RawNode node =
        new RawNode(Config.builder().id(1).storage(MemoryStorage.withConfState(joint)).build());
    ConfState left = node.applyConfChange(cc);
    assertEquals(List.of(1L, 2L), left.getVotersList());
    assertEquals(List.of(), left.getVotersOutgoingList(), "the node left the joint configuration");
  }

  @Test
  void aDecodedChangeAppliesThroughRawNode() {
    RawNode node =
        new RawNode(
            Config.builder()
                .id(1)
                .storage(MemoryStorage.withConfState(ConfState.newBuilder().addVoters(1).build()))
                .build());
    ConfChange addLearner =
        ConfChange.newBuilder()
            .setType(ConfChangeType.ConfChangeAddLearnerNode)
            .setNodeId(2)
            .build();
    ConfState cs =
        node.applyConfChange(
            ConfChangeEntry.decode(entry(EntryType.EntryConfChange, addLearner.toByteString())));
    assertEquals(List.of(2L), cs.getLearnersList());
  }

  @Test
  void aNormalEntryIsNoConfigurationChange() {
    InvalidConfChangeException ex =
        assertThrows(
            InvalidConfChangeException.class,
            () ->
                ConfChangeEntry.decode(entry(EntryType.EntryNormal, ByteString.copyFromUtf8("x"))));
    assertTrue(
        ex.getMessage().contains("entry 7") && ex.getMessage().contains("EntryNormal"),
        ex.getMessage());
  }

  @Test
  void undecodableDataIsRefusedWithTheParseErrorAsCause() {
    // Field 1 as a 5-byte length-delimited value with no bytes after it: a truncated message.
    ByteString truncated = ByteString.copyFrom(new byte[] {0x0A, 0x05});
    for (EntryType type : List.of(EntryType.EntryConfChange, EntryType.EntryConfChangeV2)) {
      InvalidConfChangeException ex =
          assertThrows(
              InvalidConfChangeException.class,
              () -> ConfChangeEntry.decode(entry(type, truncated)));
      assertTrue(
          ex.getMessage().contains("entry 7") && ex.getMessage().contains(type.name()),
          ex.getMessage());
      assertInstanceOf(InvalidProtocolBufferException.class, ex.getCause(), type.name());
    }
  }
}

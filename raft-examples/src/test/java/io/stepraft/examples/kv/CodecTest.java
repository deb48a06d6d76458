package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example's encodings: commands, member contexts, snapshots, JSON and addresses. */
class CodecTest {
  @Test
  void commandsRoundTrip() {
    for (Command c :
        new Command[] {
          Command.put(7, "k", ByteString.copyFromUtf8("v")),
          Command.delete(Long.MAX_VALUE, "ключ"),
          Command.cas(1, "k", ByteString.copyFromUtf8("old"), ByteString.EMPTY)
        }) {
      assertEquals(c, Command.decode(c.encode()));
    }
  }

  @Test
  void aTruncatedOrForeignCommandIsRefused() {
    ByteString data = Command.put(7, "key", ByteString.copyFromUtf8("value")).encode();
    assertThrows(IllegalArgumentException.class, () -> Command.decode(data.substring(0, 12)));
    assertThrows(
        IllegalArgumentException.class, () -> Command.decode(ByteString.copyFromUtf8("x")));
  }

  @Test
  void memberContextsRoundTrip() {
    MemberContext m = new MemberContext(42, "127.0.0.1:42379");
    assertEquals(m, MemberContext.decode(m.encode()));
    assertEquals(new MemberContext(0, ""), MemberContext.decode(ByteString.EMPTY));
  }

  @Test
  void theStateMachineSnapshotHoldsKeysAndMembers() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(Command.put(1, "a", ByteString.copyFromUtf8("1")));
    sm.apply(Command.put(2, "b", ByteString.copyFromUtf8("2")));
    sm.setMember(1, "h:1");
    assertEquals(KvStateMachine.Outcome.OK, sm.apply(Command.delete(3, "b")));
    assertEquals(KvStateMachine.Outcome.NOT_FOUND, sm.apply(Command.delete(4, "b")));
    assertEquals(
        KvStateMachine.Outcome.CAS_FAILED,
        sm.apply(Command.cas(5, "a", ByteString.copyFromUtf8("x"), ByteString.EMPTY)));
    KvStateMachine copy = new KvStateMachine();
    copy.restore(sm.snapshot());
    assertEquals(ByteString.copyFromUtf8("1"), copy.get("a"));
    assertEquals(1, copy.size());
    assertEquals(Map.of(1L, "h:1"), copy.members());
    assertEquals(sm.dataBytes(), copy.dataBytes());
  }

  @Test
  void flatJsonObjects() {
    assertEquals(
        Map.of("id", 4L, "peer", "h:1", "learner", true),
        Json.parseObject(" {\"id\": 4, \"peer\": \"h:1\", \"learner\": true} "));
    for (String bad :
        new String[] {"", "{", "{\"id\":}", "{\"id\":1}x", "[1]", "{\"a\":\"\\q\"}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Json.parseObject(bad), bad);
      assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
    }
    assertEquals("\"a\\\"b\\n\"", Json.quote("a\"b\n"));
  }

  @Test
  void peerListsAreValidated() {
    assertEquals(2, Addresses.parsePeers("1=a:1,2=b:2").size());
    for (String bad : new String[] {"", "1=a", "x=a:1", "0=a:1", "1=a:1,1=b:2", "1=a:70000"}) {
      assertThrows(IllegalArgumentException.class, () -> Addresses.parsePeers(bad), bad);
    }
  }
}

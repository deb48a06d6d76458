package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on both ports closes a connection or gets a 4xx with a message; the node keeps serving.
 * Each test ends by checking that the cluster still writes and reads.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  @TempDir static Path dir;
  private TestNodes nodes;

  @BeforeAll
  void start() {
    nodes = new TestNodes(dir, 3, 3, 10_000, 1_000).startAll();
    nodes.awaitLeader();
  }

  @AfterAll
  void stop() {
    nodes.close();
  }

  private void stillServing() {
    long leader = nodes.awaitLeader();
    String value = Long.toString(System.nanoTime());
    assertEquals(200, nodes.client(leader % 3 + 1).put("alive", value).status());
    for (long id = 1; id <= 3; id++) {
      assertEquals(value, nodes.client(id).get("alive").body(), "node " + id);
      assertEquals(200, nodes.client(id).call("GET", "/health", null).status());
    }
  }

  // ---- peer port ----

  @Test
  void garbageOnThePeerPortClosesThatConnection() throws IOException {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    // A whole frame: a length prefix that matches, then noise.
    junk[0] = 0;
    junk[1] = 0;
    junk[2] = (byte) ((junk.length - 4) >> 8);
    junk[3] = (byte) (junk.length - 4);
    assertClosedAfterSending(nodes.peerSocket(1), junk);
    stillServing();
  }

  @Test
  void aFrameOverTheLimitClosesThatConnection() throws IOException {
    byte[] prefix = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertClosedAfterSending(nodes.peerSocket(2), prefix);
    stillServing();
  }

  @Test
  void aMessageFromAnUnknownNodeClosesThatConnection() throws IOException {
    Message m =
        Message.newBuilder()
            .setType(MessageType.MsgHeartbeat)
            .setFrom(99)
            .setTo(1)
            .setTerm(1000)
            .build();
    assertClosedAfterSending(nodes.peerSocket(1), frame(m));
    Message misaddressed =
        Message.newBuilder().setType(MessageType.MsgHeartbeat).setFrom(2).setTo(7).build();
    assertClosedAfterSending(nodes.peerSocket(1), frame(misaddressed));
    stillServing();
  }

  @Test
  void aLocalOnlyMessageFromAPeerIsDropped() throws IOException {
    // MsgHup may only be created locally: raft refuses it, the node logs and goes on.
    Message m = Message.newBuilder().setType(MessageType.MsgHup).setFrom(2).setTo(3).build();
    try (Socket s = new Socket()) {
      s.connect(nodes.peerSocket(3), 2000);
      s.getOutputStream().write(frame(m));
      s.getOutputStream().flush();
    }
    stillServing();
  }

  private static byte[] frame(Message m) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    byte[] body = m.toByteArray();
    out.writeInt(body.length);
    out.write(body);
    return b.toByteArray();
  }

  private static void assertClosedAfterSending(InetSocketAddress to, byte[] bytes)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(to, 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      try {
        assertEquals(-1, in.read(), "the node closes the connection");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the node kept the connection open", e);
      } catch (IOException e) {
        // connection reset: closed as well
      }
    }
  }

  // ---- client port ----

  @Test
  void malformedHttpGetsA400() throws IOException {
    String reply = rawHttp(1, "THIS IS NOT HTTP\r\n\r\n");
    assertTrue(reply.startsWith("HTTP/1.1 400"), reply);
    String hugeHeader = "GET /health HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n";
    String reply2 = rawHttp(1, hugeHeader);
    assertTrue(reply2.startsWith("HTTP/1.1 4"), reply2);
    stillServing();
  }

  @Test
  void oversizedKeysAndValuesGet413() {
    KvClient c = nodes.client(2);
    assertEquals(413, c.put("big", "v".repeat(64 * 1024 + 1)).status(), "value over the limit");
    assertEquals(413, c.put("k".repeat(257), "v").status(), "key over the limit");
    KvClient.Reply r = c.put("big", "v".repeat(200 * 1024));
    assertTrue(r.status() == 413 || r.status() == 0, "body over the aggregator limit: " + r);
    assertEquals(200, c.put("big", "v".repeat(64 * 1024)).status(), "a value at the limit");
    stillServing();
  }

  @Test
  void malformedRequestsGetA4xxWithAMessage() {
    KvClient c = nodes.client(3);
    KvClient.Reply badJson = c.call("POST", "/cluster/members", "{\"id\":4,");
    assertEquals(400, badJson.status());
    assertTrue(badJson.body().contains("malformed JSON"), badJson.body());
    assertEquals(400, c.call("POST", "/cluster/leader", "[1]").status());
    assertEquals(400, c.call("POST", "/cluster/leader", "{\"id\":\"two\"}").status());
    assertEquals(404, c.call("GET", "/nowhere", null).status());
    assertEquals(405, c.call("POST", "/kv/x", "v").status());
    assertEquals(405, c.call("DELETE", "/cluster", null).status());
    assertEquals(400, c.call("GET", "/kv/", null).status(), "empty key");
    stillServing();
  }

  private String rawHttp(long id, String request) throws IOException {
    KvServer s = nodes.server(id);
    try (Socket sock = new Socket()) {
      sock.connect(s.httpAddress(), 2000);
      sock.setSoTimeout(5000);
      sock.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      sock.getOutputStream().flush();
      byte[] buf = new byte[512];
      int n = sock.getInputStream().read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
  }
}

package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Backups (POST /snapshot, --restore) and the quota alarm. */
@Timeout(90)
class BackupQuotaTest {
  @TempDir Path dir;
  private TestNodes a;
  private TestNodes b;

  @AfterEach
  void stop() {
    for (TestNodes n : new TestNodes[] {a, b}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  void aNewClusterStartsFromABackupAndKeepsItAcrossRestartsAndNewMembers() throws Exception {
    a = new TestNodes(dir.resolve("a"), 3, 3, 10_000, 1_000).startAll();
    long leader = a.awaitLeader();
    for (int i = 0; i < 10; i++) {
      assertEquals(200, a.client(leader).put("k" + i, "v" + i).status());
    }
    byte[] backup = postSnapshot(a.server(leader));
    a.close();

    BackupFile file = BackupFile.decode(backup);
    assertTrue(file.appliedIndex() >= 13, "taken at index " + file.appliedIndex());
    b = new TestNodes(dir.resolve("b"), 3, 4, 10_000, 1_000);
    b.restore = file;
    b.startAll();
    b.awaitLeader();
    for (long id = 1; id <= 3; id++) {
      assertEquals("v3", b.client(id).get("k3").body(), "node " + id);
    }
    assertEquals(200, b.client(1).put("k3", "new").status());

    // A member added later starts from the snapshot that holds the backup.
    b.restore = null;
    KvClient.Reply added =
        b.client(1)
            .call(
                "POST",
                "/cluster/members",
                "{\"id\":4,\"peer\":\"" + b.peerAddress(4) + "\",\"learner\":true}");
    assertEquals(200, added.status(), added.body());
    b.start(4, true);
    b.awaitApplied(4, b.server(b.awaitLeader()).view().commit());
    assertEquals("v9", b.client(4).getLocal("k9").body());
    assertEquals("new", b.client(4).getLocal("k3").body());

    // A founding member restarted (still given the backup) keeps what it applied since.
    b.stop(2);
    b.restore = file;
    b.start(2, false);
    b.awaitApplied(2, b.server(b.awaitLeader()).view().commit());
    assertEquals("new", b.client(2).getLocal("k3").body());
  }

  @Test
  void aDamagedBackupIsRefusedWithAReason() {
    byte[] bytes = new BackupFile(5, com.google.protobuf.ByteString.copyFromUtf8("data")).encode();
    bytes[bytes.length - 6] ^= 1;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BackupFile.decode(bytes));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BackupFile.decode(new byte[3]));
  }

  @Test
  void writesPastTheQuotaGet507UntilTheAlarmIsCleared() {
    a = new TestNodes(dir, 3, 3, 10_000, 1_000);
    a.quotaBytes = 1000;
    a.startAll();
    a.awaitLeader();
    KvClient c = a.client(2);
    int stored = 0;
    KvClient.Reply r;
    while ((r = c.put("k" + stored, "x".repeat(100))).status() == 200) {
      stored++;
    }
    assertEquals(507, r.status(), r.body());
    assertTrue(stored >= 8 && stored <= 10, "stored " + stored);
    assertTrue(c.call("GET", "/cluster", null).body().contains("\"alarms\":[\"NOSPACE\"]"));
    assertEquals(507, c.put("small", "1").status(), "the alarm holds until cleared");
    for (int i = 0; i < stored; i++) {
      assertEquals(200, c.delete("k" + i).status(), "deletes free space");
    }
    assertEquals(200, c.call("DELETE", "/cluster/alarms", null).status());
    assertEquals(200, c.put("small", "1").status());
    assertTrue(c.call("GET", "/cluster", null).body().contains("\"alarms\":[]"));
  }

  private static byte[] postSnapshot(KvServer s) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.httpAddress().getPort() + "/snapshot"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}

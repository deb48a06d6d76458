package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in this JVM on real sockets: the API's answers, membership and transfer. */
@Timeout(60)
class KvClusterTest {
  @TempDir Path dir;
  private TestNodes nodes;

  @AfterEach
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private TestNodes cluster() {
    nodes = new TestNodes(dir, 3, 4, 10_000, 1_000).startAll();
    nodes.awaitLeader();
    return nodes;
  }

  @Test
  void writesAreAcknowledgedOnceAppliedAndReadLinearizablyOnEveryNode() {
    TestNodes n = cluster();
    long leader = n.awaitLeader();
    long follower = leader % 3 + 1;
    assertEquals(200, n.client(follower).put("k", "v1").status(), "a follower forwards writes");
    for (long id = 1; id <= 3; id++) {
      KvClient.Reply r = n.client(id).get("k");
      assertEquals(new KvClient.Reply(200, "v1"), r, "linearizable read on node " + id);
    }
    assertEquals(200, n.client(leader).put("k", "v2").status());
    assertEquals("v2", n.client(follower).get("k").body(), "a read sees the write before it");
    assertEquals(404, n.client(follower).get("absent").status());
  }

  @Test
  void compareAndSetAndDelete() {
    TestNodes n = cluster();
    KvClient c = n.client(1);
    assertEquals(412, c.cas("x", "a", "b").status(), "CAS on an absent key fails");
    assertEquals(200, c.put("x", "a").status());
    assertEquals(412, n.client(2).cas("x", "zzz", "b").status(), "CAS with another value fails");
    assertEquals("a", n.client(3).get("x").body());
    assertEquals(200, n.client(2).cas("x", "a", "b").status());
    assertEquals("b", n.client(3).get("x").body());
    assertEquals(200, n.client(3).delete("x").status());
    assertEquals(404, c.get("x").status());
    assertEquals(404, c.delete("x").status(), "deleting an absent key");
  }

  @Test
  void serializableReadsAreServedLocally() {
    TestNodes n = cluster();
    assertEquals(200, n.client(1).put("s", "1").status());
    long commit = n.server(n.awaitLeader()).view().commit();
    for (long id = 1; id <= 3; id++) {
      n.awaitApplied(id, commit);
      assertEquals("1", n.client(id).getLocal("s").body());
    }
  }

  @Test
  void aLearnerIsAddedPromotedAndAnOldMemberRemoved() {
    TestNodes n = cluster();
    assertEquals(200, n.client(1).put("before", "4 joins").status());
    KvClient.Reply added =
        n.client(2)
            .call(
                "POST",
                "/cluster/members",
                "{\"id\":4,\"peer\":\"" + n.peerAddress(4) + "\",\"learner\":true}");
    assertEquals(200, added.status(), added.body());
    assertTrue(added.body().contains("\"learners\":[4]"), added.body());
    n.start(4, true);
    long commit = n.server(n.awaitLeader()).view().commit();
    n.awaitApplied(4, commit);
    assertEquals("4 joins", n.client(4).getLocal("before").body(), "the learner caught up");

    KvClient.Reply promoted = n.client(3).call("POST", "/cluster/members/4/promote", null);
    assertEquals(200, promoted.status(), promoted.body());
    assertTrue(promoted.body().contains("\"voters\":[1,2,3,4]"), promoted.body());

    long leader = n.awaitLeader();
    long removed = leader == 1 ? 2 : 1;
    KvClient.Reply r = n.client(leader).call("DELETE", "/cluster/members/" + removed, null);
    assertEquals(200, r.status(), r.body());
    n.stop(removed);
    assertEquals(200, n.client(4).put("after", "removal").status());
    for (long id = 1; id <= 4; id++) {
      if (id != removed) {
        assertEquals("removal", n.client(id).get("after").body(), "node " + id);
      }
    }
    KvClient.Reply cluster = n.client(4).call("GET", "/cluster", null);
    assertTrue(
        cluster.body().contains("\"voters\":[" + votersWithout(removed) + "]"), cluster.body());
  }

  private static String votersWithout(long removed) {
    StringBuilder b = new StringBuilder();
    for (long id = 1; id <= 4; id++) {
      if (id != removed) {
        b.append(b.length() == 0 ? "" : ",").append(id);
      }
    }
    return b.toString();
  }

  @Test
  void membershipRequestsThatMakeNoSenseAreRefused() {
    TestNodes n = cluster();
    KvClient c = n.client(1);
    assertEquals(
        409,
        c.call("POST", "/cluster/members", "{\"id\":2,\"peer\":\"127.0.0.1:1\"}").status(),
        "adding a member twice");
    assertEquals(409, c.call("POST", "/cluster/members/2/promote", null).status(), "not a learner");
    assertEquals(404, c.call("DELETE", "/cluster/members/9", null).status(), "not a member");
    assertEquals(400, c.call("POST", "/cluster/members", "{\"id\":5}").status(), "no peer");
    assertEquals(
        400, c.call("POST", "/cluster/members", "{\"id\":5,\"peer\":\"nowhere\"}").status());
    assertEquals(400, c.call("DELETE", "/cluster/members/abc", null).status());
  }

  @Test
  void leadershipIsTransferred() {
    TestNodes n = cluster();
    long leader = n.awaitLeader();
    long target = leader % 3 + 1;
    KvClient.Reply r = n.client(leader).call("POST", "/cluster/leader", "{\"id\":" + target + "}");
    assertEquals(200, r.status(), r.body());
    assertEquals(target, n.awaitLeader());
    assertEquals(200, n.client(leader).put("after", "transfer").status());
    assertEquals(409, n.client(1).call("POST", "/cluster/leader", "{\"id\":9}").status());
  }

  @Test
  void withoutAQuorumRequestsFailWith503InsteadOfHanging() {
    TestNodes n = cluster();
    assertEquals(200, n.client(1).put("q", "1").status());
    long leader = n.awaitLeader();
    long survivor = leader % 3 + 1;
    for (long id = 1; id <= 3; id++) {
      if (id != survivor) {
        n.stop(id);
      }
    }
    long start = System.nanoTime();
    KvClient c = n.client(survivor);
    assertEquals(503, c.put("q", "2").status());
    assertEquals(503, c.get("q").status());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
        "answered within the request timeouts");
    TestNodes.await(
        "health 503", Duration.ofSeconds(10), () -> c.call("GET", "/health", null).status() == 503);
    assertEquals("1", c.getLocal("q").body(), "a local read still answers");
  }
}

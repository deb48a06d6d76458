package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on both ports, with certificates made by {@code openssl} (skipped without it): the
 * cluster forms and serves over TLS; a client whose certificate has another common name, a plain
 * HTTP client, and plain bytes on the peer port are turned away.
 */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
  @TempDir static Path dir;
  private TestNodes nodes;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(openssl("version"), "openssl is needed to make test certificates");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    ca(certs);
    for (String name : List.of("peer", "client", "intruder")) {
      cert(
          certs,
          name,
          name.equals("peer") ? "stepraft-peer" : name.equals("client") ? "kv-client" : "intruder");
    }
    nodes = new TestNodes(dir.resolve("nodes"), 3, 3, 10_000, 1_000);
    nodes.peerTls =
        new TlsSettings(
            certs.resolve("peer.pem"),
            certs.resolve("peer.key"),
            certs.resolve("ca.pem"),
            "stepraft-peer");
    nodes.clientTls =
        new TlsSettings(
            certs.resolve("peer.pem"),
            certs.resolve("peer.key"),
            certs.resolve("ca.pem"),
            "kv-client");
    nodes.startAll();
    nodes.awaitLeader();
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private KvClient httpsClient(long id, String certName) throws IOException {
    Path certs = dir.resolve("certs");
    JdkSslContext ctx =
        (JdkSslContext)
            SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(
                    certs.resolve(certName + ".pem").toFile(),
                    certs.resolve(certName + ".key").toFile())
                .trustManager(certs.resolve("ca.pem").toFile())
                .build();
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(ctx.context())
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    return new KvClient(nodes.httpSocket(id), Duration.ofSeconds(10), client, "https");
  }

  @Test
  void theClusterServesOverMutualTls() throws IOException {
    KvClient c1 = httpsClient(1, "client");
    assertEquals(200, c1.put("tls", "yes").status());
    for (long id = 1; id <= 3; id++) {
      assertEquals("yes", httpsClient(id, "client").get("tls").body(), "node " + id);
    }
  }

  @Test
  void strangersAreTurnedAway() throws IOException {
    assertNotEquals(
        200, httpsClient(2, "intruder").get("tls").status(), "a client with another CN");
    assertNotEquals(200, nodes.client(2).get("tls").status(), "plain HTTP on the TLS port");
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(nodes.peerSocket(2), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(new byte[] {0, 0, 0, 3, 1, 2, 3});
      s.getOutputStream().flush();
      try {
        assertEquals(-1, s.getInputStream().read(), "plain bytes on the TLS peer port");
      } catch (IOException e) {
        // reset: closed too
      }
    }
    assertEquals(200, httpsClient(3, "client").put("still", "serving").status());
  }

  private static void ca(Path d) throws Exception {
    run(
        d,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=stepraft-test-ca");
  }

  private static void cert(Path d, String name, String cn) throws Exception {
    Files.writeString(d.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(
        d,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + cn);
    run(
        d,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        "san.ext");
  }

  private static void run(Path d, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
    }
  }

  private static boolean openssl(String arg) {
    try {
      Process p = new ProcessBuilder("openssl", arg).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}

package io.stepraft.examples.kv;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A test client of one node's HTTP API: every call returns status and body, never throws. */
final class KvClient {
  /**
   * What a call returned; status 0 when the connection failed or timed out. {@code notApplied}: the
   * request certainly had no effect (refused by the node, or never sent).
   */
  record Reply(int status, String body, boolean notApplied) {
    Reply(int status, String body) {
      this(status, body, status / 100 == 4);
    }

    boolean ok() {
      return status / 100 == 2;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final HttpClient client;
  private final String base;
  private final Duration timeout;

  KvClient(InetSocketAddress http, Duration timeout) {
    this(http, timeout, HTTP, "http");
  }

  KvClient(InetSocketAddress http, Duration timeout, HttpClient client, String scheme) {
    this.client = client;
    this.base = scheme + "://" + http.getHostString() + ":" + http.getPort();
    this.timeout = timeout;
  }

  Reply put(String key, String value) {
    return call("PUT", "/kv/" + enc(key), value);
  }

  Reply cas(String key, String expected, String value) {
    return call("PUT", "/kv/" + enc(key) + "?prevValue=" + enc(expected), value);
  }

  Reply get(String key) {
    return call("GET", "/kv/" + enc(key), null);
  }

  Reply getLocal(String key) {
    return call("GET", "/kv/" + enc(key) + "?serializable=true", null);
  }

  Reply delete(String key) {
    return call("DELETE", "/kv/" + enc(key), null);
  }

  Reply call(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      boolean refused = r.headers().firstValue("X-Kv-Outcome").orElse("").equals("not-applied");
      return new Reply(r.statusCode(), r.body(), refused || r.statusCode() / 100 == 4);
    } catch (java.net.ConnectException e) {
      return new Reply(0, e.toString(), true); // never reached the node
    } catch (IOException e) {
      return new Reply(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, "interrupted");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

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
  /** What a call returned; status 0 when the connection failed or timed out. */
  record Reply(int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final String base;
  private final Duration timeout;

  KvClient(InetSocketAddress http, Duration timeout) {
    this.base = "http://" + http.getHostString() + ":" + http.getPort();
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
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
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

package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.stepraft.raft.pb.ConfState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one HTTP request to the node and writes the answer. One request at a time per connection
 * (reading pauses until the answer is written), so answers never overtake each other.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  /** How long past the request timeout the HTTP layer waits before answering 503 itself. */
  private static final long GRACE_MS = 2000;

  private final KvNode node;
  private final NodeSettings settings;
  private final NodeMetrics metrics;

  HttpHandler(KvNode node, NodeSettings settings, NodeMetrics metrics) {
    this.node = node;
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Header on a 503 for a request refused before anything was proposed: a write that got it was
   * certainly not applied. A 503 without it (a timeout) leaves the outcome unknown.
   */
  static final String OUTCOME_HEADER = "X-Kv-Outcome";

  /** A finished answer; {@code notApplied} marks a 503 whose write certainly had no effect. */
  record Answer(int status, String contentType, byte[] body, boolean notApplied) {
    Answer(int status, String contentType, byte[] body) {
      this(status, contentType, body, false);
    }

    static Answer text(int status, String message) {
      return new Answer(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static Answer json(int status, String json) {
      return new Answer(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    static Answer of(KvException e) {
      byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      return new Answer(e.status(), TEXT, body, e.status() == 503 && e.notApplied());
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      write(ctx, Answer.text(400, "malformed request: " + req.decoderResult().cause()), false);
      return;
    }
    CompletableFuture<Answer> answer;
    try {
      answer = route(req);
    } catch (KvException e) {
      answer = CompletableFuture.completedFuture(Answer.of(e));
    } catch (IllegalArgumentException e) {
      answer = CompletableFuture.completedFuture(Answer.text(400, e.getMessage()));
    }
    ctx.channel().config().setAutoRead(false);
    answer
        .orTimeout(settings.requestTimeoutMs() + GRACE_MS, TimeUnit.MILLISECONDS)
        .whenComplete(
            (a, e) -> {
              Answer out = a != null ? a : failure(e);
              if (out.status >= 500) {
                metrics.requestFailed();
              }
              write(ctx, out, keepAlive);
              ctx.channel().config().setAutoRead(true);
            });
  }

  private static Answer failure(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof KvException k) {
      return Answer.of(k);
    }
    if (cause instanceof TimeoutException) {
      return Answer.text(503, "request timed out; a write may or may not have taken effect");
    }
    log.warn("request failed", cause);
    return Answer.text(500, "internal error: " + cause);
  }

  private CompletableFuture<Answer> route(FullHttpRequest req) {
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    String path = q.rawPath();
    HttpMethod m = req.method();
    if (path.startsWith("/kv/")) {
      String key = QueryStringDecoder.decodeComponent(path.substring(4), StandardCharsets.UTF_8);
      return kv(m, key, q.parameters(), req);
    }
    List<String> parts = List.of(path.split("/", -1));
    switch (path) {
      case "/health":
        return only(m, HttpMethod.GET, this::health);
      case "/metrics":
        return only(
            m,
            HttpMethod.GET,
            () -> done(new Answer(200, metrics.contentType(), metrics.scrape())));
      case "/cluster":
        return only(
            m, HttpMethod.GET, () -> node.clusterJson().thenApply(j -> Answer.json(200, j)));
      case "/cluster/members":
        return only(m, HttpMethod.POST, () -> addMember(body(req)));
      case "/cluster/leader":
        return only(m, HttpMethod.POST, () -> transfer(body(req)));
      case "/cluster/alarms":
        return only(
            m,
            HttpMethod.DELETE,
            () ->
                node.clearAlarms()
                    .thenApply(was -> Answer.json(200, "{\"cleared\":" + was + "}\n")));
      case "/snapshot":
        return only(
            m,
            HttpMethod.POST,
            () ->
                node.backup()
                    .thenApply(b -> new Answer(200, "application/octet-stream", b.encode())));
      default:
        break;
    }
    if (parts.size() == 4 && path.startsWith("/cluster/members/")) {
      long id = parseId(parts.get(3));
      return only(m, HttpMethod.DELETE, () -> configuration(node.removeMember(id)));
    }
    if (parts.size() == 5
        && path.startsWith("/cluster/members/")
        && parts.get(4).equals("promote")) {
      long id = parseId(parts.get(3));
      return only(m, HttpMethod.POST, () -> configuration(node.promote(id)));
    }
    return done(Answer.text(404, "no such resource: " + path));
  }

  private CompletableFuture<Answer> kv(
      HttpMethod m, String key, Map<String, List<String>> params, FullHttpRequest req) {
    if (key.isEmpty()) {
      return done(Answer.text(400, "empty key"));
    }
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > settings.maxKeyBytes()) {
      return done(
          Answer.text(413, "key is " + keyBytes + " bytes, over " + settings.maxKeyBytes()));
    }
    if (m.equals(HttpMethod.GET)) {
      boolean serializable = "true".equals(first(params, "serializable"));
      return node.get(key, serializable)
          .thenApply(
              v ->
                  v.map(b -> new Answer(200, "application/octet-stream", b.toByteArray()))
                      .orElse(Answer.text(404, "key not found: " + key)));
    }
    if (m.equals(HttpMethod.PUT)) {
      int size = req.content().readableBytes();
      if (size > settings.maxValueBytes()) {
        return done(
            Answer.text(413, "value is " + size + " bytes, over " + settings.maxValueBytes()));
      }
      ByteString value = ByteString.copyFrom(ByteBufUtil.getBytes(req.content()));
      String prev = first(params, "prevValue");
      CompletableFuture<KvStateMachine.Outcome> f =
          prev == null
              ? node.put(key, value)
              : node.compareAndSet(key, ByteString.copyFromUtf8(prev), value);
      return f.thenApply(
          o ->
              o == KvStateMachine.Outcome.CAS_FAILED
                  ? Answer.text(412, "prevValue does not match the current value of " + key)
                  : Answer.text(200, "stored"));
    }
    if (m.equals(HttpMethod.DELETE)) {
      return node.delete(key)
          .thenApply(
              o ->
                  o == KvStateMachine.Outcome.NOT_FOUND
                      ? Answer.text(404, "key not found: " + key)
                      : Answer.text(200, "deleted"));
    }
    return done(Answer.text(405, "method " + m + " not allowed on /kv/{key}"));
  }

  private CompletableFuture<Answer> health() {
    NodeView v = node.view();
    long staleNanos = TimeUnit.MILLISECONDS.toNanos(20L * settings.tickMs() + 1000);
    boolean looping = v.running() && System.nanoTime() - v.loopNanos() < staleNanos;
    String state =
        "{\"id\":%d,\"role\":%s,\"leader\":%d,\"term\":%d,\"applied\":%d}\n"
            .formatted(
                v.id(), Json.quote(v.role().name().toLowerCase()), v.lead(), v.term(), v.applied());
    if (!looping) {
      return done(
          Answer.json(503, state.replace("}\n", ",\"error\":\"raft loop not running\"}\n")));
    }
    if (v.lead() == 0) {
      return done(Answer.json(503, state.replace("}\n", ",\"error\":\"no leader known\"}\n")));
    }
    if (!v.member()) {
      return done(
          Answer.json(
              503,
              state.replace("}\n", ",\"error\":\"not a member of the configuration (yet)\"}\n")));
    }
    return done(Answer.json(200, state));
  }

  private CompletableFuture<Answer> addMember(Map<String, Object> body) {
    long id = longField(body, "id");
    Object peer = body.get("peer");
    if (!(peer instanceof String p)) {
      throw KvException.badRequest("\"peer\" must be a string host:port");
    }
    Addresses.parse("peer", p);
    Object learner = body.getOrDefault("learner", Boolean.FALSE);
    if (!(learner instanceof Boolean l)) {
      throw KvException.badRequest("\"learner\" must be true or false");
    }
    return configuration(node.addMember(id, p, l));
  }

  private CompletableFuture<Answer> transfer(Map<String, Object> body) {
    long id = longField(body, "id");
    return node.transferLeader(id)
        .thenApply(lead -> Answer.json(200, "{\"leader\":" + lead + "}\n"));
  }

  private static CompletableFuture<Answer> configuration(CompletableFuture<ConfState> f) {
    return f.thenApply(
        cs ->
            Answer.json(
                200,
                "{\"voters\":"
                    + ClusterJson.ids(cs.getVotersList())
                    + ",\"learners\":"
                    + ClusterJson.ids(cs.getLearnersList())
                    + "}\n"));
  }

  private static Map<String, Object> body(FullHttpRequest req) {
    return Json.parseObject(req.content().toString(StandardCharsets.UTF_8));
  }

  private static long longField(Map<String, Object> body, String name) {
    Object v = body.get(name);
    if (!(v instanceof Long id) || id <= 0) {
      throw KvException.badRequest("\"" + name + "\" must be a positive integer");
    }
    return id;
  }

  private static long parseId(String s) {
    try {
      long id = Long.parseLong(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw KvException.badRequest("node id must be a positive integer, got '" + s + "'");
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private interface Call {
    CompletableFuture<Answer> run();
  }

  private static CompletableFuture<Answer> only(HttpMethod m, HttpMethod allowed, Call call) {
    if (!m.equals(allowed)) {
      return done(Answer.text(405, "method " + m + " not allowed here; use " + allowed));
    }
    return call.run();
  }

  private static CompletableFuture<Answer> done(Answer a) {
    return CompletableFuture.completedFuture(a);
  }

  private static void write(ChannelHandlerContext ctx, Answer a, boolean keepAlive) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(a.status()),
            Unpooled.wrappedBuffer(a.body()));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
    if (a.notApplied()) {
      res.headers().set(OUTCOME_HEADER, "not-applied");
    }
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing client connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}

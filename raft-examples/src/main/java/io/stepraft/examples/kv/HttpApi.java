package io.stepraft.examples.kv;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: HTTP/1.1 with bodies bounded by the value limit (larger ones get 413 from the
 * aggregator), idle connections closed after a minute, requests routed by {@link HttpHandler}.
 */
final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /** Smallest body limit: room for the JSON of the membership calls. */
  private static final int BODY_MIN_BYTES = 64 * 1024;

  private static final int IDLE_SECONDS = 60;

  private Channel serverChannel;

  /** Accepted connections, closed with the server. */
  private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  void start(
      InetSocketAddress address,
      EventLoopGroup group,
      KvNode node,
      NodeSettings settings,
      NodeMetrics metrics,
      Tls tls)
      throws InterruptedException {
    int bodyMax = Math.max(BODY_MIN_BYTES, settings.maxValueBytes());
    // A connection waiting for an answer reads nothing: the idle limit outlasts any request.
    int idleSeconds = Math.max(IDLE_SECONDS, settings.requestTimeoutMs() / 1000 + 10);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted.add(ch);
                    ch.pipeline().addLast(new ReadTimeoutHandler(idleSeconds));
                    if (tls.server() != null) {
                      ch.pipeline()
                          .addLast(tls.server().newHandler(ch.alloc()))
                          .addLast(new CommonNameCheck(tls.allowedCn()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec(4096, 8192, 8192))
                        .addLast(new HttpObjectAggregator(bodyMax))
                        .addLast(new HttpHandler(node, settings, metrics));
                  }
                });
    serverChannel = b.bind(PeerTransport.resolved(address)).sync().channel();
    log.info("HTTP API listening on {}", serverChannel.localAddress());
  }

  InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    accepted.close().awaitUninterruptibly();
  }
}

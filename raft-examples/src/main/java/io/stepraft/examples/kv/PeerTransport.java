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
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.stepraft.raft.SnapshotStatus;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft messages between nodes over TCP: each frame is a 4-byte length and a protobuf {@link
 * Message}, at most {@code maxFrameBytes}. One outbound connection per peer ({@link PeerClient});
 * inbound connections are accepted from anyone, and a frame that does not parse, is not addressed
 * to this node or comes from an unknown peer closes its connection.
 */
final class PeerTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);

  /**
   * An inbound connection silent this long is closed (peers send heartbeats every tick, so only a
   * stalled or half-sent frame is this quiet).
   */
  private static final int INBOUND_IDLE_SECONDS = 30;

  private final long selfId;
  private final Tls tls;
  private final int maxFrameBytes;
  private final EventLoopGroup group;
  private final NodeMetrics metrics;
  private final Map<Long, PeerClient> clients = new HashMap<>(); // raft thread only
  private volatile Set<Long> knownPeers = Set.of();
  private volatile RaftLoop loop;
  private Channel serverChannel;

  /** Accepted connections, closed with the server. */
  private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  PeerTransport(
      long selfId, int maxFrameBytes, EventLoopGroup group, NodeMetrics metrics, Tls tls) {
    this.tls = tls;
    this.selfId = selfId;
    this.maxFrameBytes = maxFrameBytes;
    this.group = group;
    this.metrics = metrics;
  }

  /** Listens on {@code address}; received messages go to {@code loop}. */
  void start(InetSocketAddress address, RaftLoop loop) throws InterruptedException {
    this.loop = loop;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted.add(ch);
                    ch.pipeline().addLast(new ReadTimeoutHandler(INBOUND_IDLE_SECONDS));
                    if (tls.server() != null) {
                      ch.pipeline()
                          .addLast(tls.server().newHandler(ch.alloc()))
                          .addLast(new CommonNameCheck(tls.allowedCn()));
                    }
                    ch.pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4))
                        .addLast(new PeerInboundHandler(selfId, PeerTransport.this));
                  }
                });
    serverChannel = b.bind(resolved(address)).sync().channel();
    log.info("peer transport listening on {}", serverChannel.localAddress());
  }

  /** Whether {@code id} is a peer this node currently knows. */
  boolean isKnownPeer(long id) {
    return knownPeers.contains(id);
  }

  /** A message arrived and passed the checks: queue it for the raft thread. */
  void received(Message m) {
    RaftLoop l = loop;
    if (l == null || !l.submit(x -> x.stepMessage(m))) {
      metrics.inboundDropped();
    }
  }

  /** The members and their addresses changed. Raft thread. */
  void setPeers(Map<Long, InetSocketAddress> peers) {
    clients
        .entrySet()
        .removeIf(
            e -> {
              InetSocketAddress a = peers.get(e.getKey());
              if (a != null && a.equals(e.getValue().address())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
    peers.forEach(
        (id, a) -> {
          if (id != selfId && !clients.containsKey(id)) {
            clients.put(id, new PeerClient(id, a, maxFrameBytes, group.next(), this, tls));
          }
        });
    knownPeers = Set.copyOf(peers.keySet());
  }

  /** Queues messages for their peers; a message that cannot be queued is reported. Raft thread. */
  void send(List<Message> messages) {
    for (Message m : messages) {
      PeerClient c = clients.get(m.getTo());
      if (c == null || !c.offer(m)) {
        sendFailed(m);
      }
    }
  }

  /** A message was not delivered: tell raft (on its thread). Any thread. */
  void sendFailed(Message m) {
    metrics.peerSendFailure();
    RaftLoop l = loop;
    if (l == null) {
      return;
    }
    long to = m.getTo();
    if (m.getType() == MessageType.MsgSnap) {
      l.submit(x -> x.node().reportSnapshot(to, SnapshotStatus.FAILURE));
    }
    l.submit(x -> x.node().reportUnreachable(to));
  }

  /** {@code count} messages to {@code to} were dropped: one report for all. Any thread. */
  void dropped(long to, int count, boolean snapshot) {
    for (int i = 0; i < count; i++) {
      metrics.peerSendFailure();
    }
    RaftLoop l = loop;
    if (l == null) {
      return;
    }
    if (snapshot) {
      l.submit(x -> x.node().reportSnapshot(to, SnapshotStatus.FAILURE));
    }
    l.submit(x -> x.node().reportUnreachable(to));
  }

  /** A snapshot reached the peer's socket. Any thread. */
  void snapshotSent(long to) {
    RaftLoop l = loop;
    if (l != null) {
      l.submit(x -> x.node().reportSnapshot(to, SnapshotStatus.FINISH));
    }
  }

  /** The address the server is bound to (with the real port when bound to port 0). */
  InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  static InetSocketAddress resolved(InetSocketAddress a) {
    return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
  }

  /** Stops listening and closes every connection. Call after the raft thread stopped. */
  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    accepted.close().awaitUninterruptibly();
    clients.values().forEach(PeerClient::close);
    clients.clear();
  }
}

package io.stepraft.examples.kv;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound connection to one peer: a bounded queue (full: the message is dropped and raft told
 * the peer is unreachable), one TCP connection, reconnected with exponential backoff. All state but
 * the queue lives on one event loop.
 */
final class PeerClient {
  private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

  /** Messages queued for one peer; more are dropped. */
  static final int QUEUE_MAX = 4096;

  private static final long BACKOFF_MIN_MS = 50;
  private static final long BACKOFF_MAX_MS = 2000;
  private static final int CONNECT_TIMEOUT_MS = 2000;

  private final long peerId;
  private final InetSocketAddress address;
  private final int maxFrameBytes;
  private final EventLoop eventLoop;
  private final PeerTransport transport;
  private final Tls tls;
  private final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE_MAX);
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private volatile boolean closed;
  // Event loop only:
  private Channel channel;
  private boolean connecting;
  private long backoffMs = BACKOFF_MIN_MS;
  private long nextConnectNanos = System.nanoTime();
  private boolean warned;

  PeerClient(
      long peerId,
      InetSocketAddress address,
      int maxFrameBytes,
      EventLoop eventLoop,
      PeerTransport transport,
      Tls tls) {
    this.tls = tls;
    this.peerId = peerId;
    this.address = address;
    this.maxFrameBytes = maxFrameBytes;
    this.eventLoop = eventLoop;
    this.transport = transport;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Queues a message; false if the queue is full or the client closed. Any thread. */
  boolean offer(Message m) {
    if (closed || m.getSerializedSize() > maxFrameBytes - 4) {
      if (!closed) {
        log.error(
            "message {} to {} is {} bytes, over --max-frame-bytes; dropped",
            m.getType(),
            peerId,
            m.getSerializedSize());
      }
      return false;
    }
    if (!queue.offer(m)) {
      return false;
    }
    if (flushScheduled.compareAndSet(false, true)) {
      eventLoop.execute(this::flush);
    }
    return true;
  }

  private void flush() {
    flushScheduled.set(false);
    if (closed) {
      return;
    }
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      connect();
      return;
    }
    Message m;
    boolean wrote = false;
    while (ch.isWritable() && (m = queue.poll()) != null) {
      write(ch, m);
      wrote = true;
    }
    if (wrote) {
      ch.flush();
    }
  }

  private void write(Channel ch, Message m) {
    ChannelFuture f = ch.write(Unpooled.wrappedBuffer(m.toByteArray()));
    boolean snapshot = m.getType() == MessageType.MsgSnap;
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            transport.sendFailed(m);
          } else if (snapshot) {
            transport.snapshotSent(peerId);
          }
        });
  }

  private void connect() {
    if (connecting || closed) {
      return;
    }
    long delayNanos = nextConnectNanos - System.nanoTime();
    if (delayNanos > 0) {
      connecting = true;
      eventLoop.schedule(
          () -> {
            connecting = false;
            connectNow();
          },
          delayNanos,
          TimeUnit.NANOSECONDS);
      return;
    }
    connectNow();
  }

  private void connectNow() {
    if (closed || connecting) {
      return;
    }
    connecting = true;
    new Bootstrap()
        .group(eventLoop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (tls.client() != null) {
                  ch.pipeline()
                      .addLast(
                          tls.client()
                              .newHandler(ch.alloc(), address.getHostString(), address.getPort()))
                      .addLast(new CommonNameCheck(tls.allowedCn()));
                }
                ch.pipeline().addLast(new LengthFieldPrepender(4)).addLast(new Writability());
              }
            })
        .connect(PeerTransport.resolved(address))
        .addListener((ChannelFuture f) -> connected(f));
  }

  private void connected(ChannelFuture f) {
    connecting = false;
    if (closed) {
      f.channel().close();
      return;
    }
    if (!f.isSuccess()) {
      if (!warned) {
        log.warn(
            "cannot connect to peer {} at {}: {}",
            peerId,
            Addresses.format(address),
            f.cause().getMessage());
        warned = true;
      }
      nextConnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
      backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      dropQueued();
      return;
    }
    log.info("connected to peer {} at {}", peerId, Addresses.format(address));
    warned = false;
    backoffMs = BACKOFF_MIN_MS;
    channel = f.channel();
    channel
        .closeFuture()
        .addListener(
            c -> {
              if (!closed) {
                log.info("connection to peer {} closed", peerId);
              }
            });
    flush();
  }

  /** The peer is unreachable: what waits for it is stale by the time it comes back. */
  private void dropQueued() {
    Message m;
    int dropped = 0;
    boolean snapshot = false;
    while ((m = queue.poll()) != null) {
      dropped++;
      snapshot |= m.getType() == MessageType.MsgSnap;
    }
    if (dropped > 0) {
      transport.dropped(peerId, dropped, snapshot);
    }
  }

  void close() {
    closed = true;
    eventLoop.execute(
        () -> {
          if (channel != null) {
            channel.close();
          }
          queue.clear();
        });
  }

  /** Resumes writing when the socket drains. */
  private final class Writability extends ChannelInboundHandlerAdapter {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        flush();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("peer {} connection error: {}", peerId, cause.toString());
      ctx.close();
    }
  }
}

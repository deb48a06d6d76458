package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One node, assembled: storage, the raft thread, the peer transport and the HTTP API. {@link
 * #start} brings it up; {@link #close} stops it in the reverse order (clients first, then the raft
 * thread, then the network, then the storage).
 */
final class KvServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KvServer.class);

  /** Event loop threads per node, shared by the peer and client ports. */
  private static final int IO_THREADS = 2;

  private final NodeSettings settings;
  private final NodeMetrics metrics = new NodeMetrics();
  private final EventLoopGroup group;
  private final KvStorage storage;
  private final PeerTransport transport;
  private final RaftLoop loop;
  private final HttpApi http = new HttpApi();
  private final Thread raftThread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Throwable failure;
  private boolean closed;

  private KvServer(NodeSettings settings, Consumer<Throwable> onFatal) {
    this.settings = settings;
    this.group =
        new MultiThreadIoEventLoopGroup(
            IO_THREADS, NodeThreads.factory(settings.id(), "io"), NioIoHandler.newFactory());
    // The storage refuses a directory created with other metadata: another node's data.
    ByteString metadata = ByteString.copyFromUtf8("stepraft-kv node " + settings.id());
    try {
      this.storage = KvStorage.open(settings.dataDir(), metadata, settings.syncEnabled());
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.transport =
        new PeerTransport(
            settings.id(), settings.maxFrameBytes(), group, metrics, Tls.forPeers(settings));
    Consumer<Throwable> fatal =
        e -> {
          failure = e;
          stopped.countDown();
          onFatal.accept(e);
        };
    this.loop = new RaftLoop(settings, storage, transport, metrics, fatal);
    this.raftThread =
        new Thread(NodeThreads.withNodeId(settings.id(), loop), "kv-" + settings.id() + "-raft");
  }

  /**
   * Opens the storage and starts the node.
   *
   * @param onFatal called (on the raft thread) if the node stops by itself: a storage failure
   */
  static KvServer start(NodeSettings settings, Consumer<Throwable> onFatal)
      throws InterruptedException {
    MDC.put("node", Long.toString(settings.id()));
    KvServer s = new KvServer(settings, onFatal);
    try {
      s.transport.start(settings.peerAddress(), s.loop);
      s.raftThread.start();
      s.http.start(
          settings.httpAddress(),
          s.group,
          new KvNode(s.loop),
          settings,
          s.metrics,
          Tls.forClients(settings));
    } catch (InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
    log.info(
        "node {} started: peers {}, HTTP {}, data {}",
        settings.id(),
        s.transport.localAddress(),
        s.http.localAddress(),
        settings.dataDir());
    return s;
  }

  NodeView view() {
    return loop.view();
  }

  InetSocketAddress httpAddress() {
    return http.localAddress();
  }

  long id() {
    return settings.id();
  }

  /** The node's storage; for tests that make it fail. */
  KvStorage storage() {
    return storage;
  }

  /** Waits until the node stops by itself (a fatal failure); returns that failure. */
  Throwable awaitFailure() throws InterruptedException {
    stopped.await();
    return failure;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("node {} stopping", settings.id());
    http.close();
    loop.stop();
    try {
      raftThread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    storage.close();
    stopped.countDown();
    log.info("node {} stopped", settings.id());
  }
}

package io.stepraft.examples.kv;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;
import org.slf4j.MDC;

/**
 * Threads of one node: named {@code kv-<id>-<purpose>} and carrying the node id in the logging MDC
 * (key {@code node}), so that every log line names its node even with several nodes in one JVM.
 */
final class NodeThreads {
  private NodeThreads() {}

  static ThreadFactory factory(long nodeId, String purpose) {
    return new DefaultThreadFactory("kv-" + nodeId + "-" + purpose, true) {
      @Override
      protected Thread newThread(Runnable r, String name) {
        return super.newThread(withNodeId(nodeId, r), name);
      }
    };
  }

  static Runnable withNodeId(long nodeId, Runnable r) {
    return () -> {
      MDC.put("node", Long.toString(nodeId));
      r.run();
    };
  }
}

package io.stepraft.bench.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts the objects and arrays one operation of each core loop allocates, exactly: every {@code
 * new}, array creation and reflective allocation in the bytecode the operation runs (raft-core,
 * protobuf, the JDK), as Google's allocation instrumenter reports them. Escape analysis may later
 * remove some of them in compiled code, so this is an upper bound on what the JIT leaves; JMH's
 * {@code -prof gc} gives the bytes that remain.
 *
 * <p>Run with the instrumenter as an agent, under C1 only (C2 would hide allocations inside
 * intrinsics such as {@code Arrays.copyOf}): {@code benchmarks/bin/count-allocations [ops]
 * [sites]}.
 *
 * <p>It prints, per loop, the allocations and the instrumenter's estimate of the bytes per
 * operation, then the allocated types by count; with {@code sites} also the code that allocates
 * them. The instrumenter is reached by reflection, so the module does not depend on it to build.
 */
public final class AllocationCount {
  private static final String RECORDER =
      "com.google.monitoring.runtime.instrumentation.AllocationRecorder";
  private static final String SAMPLER = "com.google.monitoring.runtime.instrumentation.Sampler";

  /** Frames of the recorder and of this class, skipped when naming the allocating code. */
  private static final String SKIP_PREFIX = "com.google.monitoring.";

  private static final Counter COUNTER = new Counter();

  private AllocationCount() {}

  /**
   * Counts each loop in turn.
   *
   * @param args the operations to count (default 65,536, a whole compaction period); "sites" to
   *     print the allocating code too
   * @throws Exception if the instrumenter is not loaded as an agent
   */
  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : ProposalLoop.COMPACT_EVERY;
    boolean sites = args.length > 1 && args[1].equals("sites");
    install();
    ProposalLoop single = new ProposalLoop(1);
    count("single-voter", single::proposeAndStabilize, ops, sites);
    ProposalLoop two = new ProposalLoop(2);
    count("two-voters", two::proposeAndStabilize, ops, sites);
    ThreeNodeLoop three = new ThreeNodeLoop(false);
    count("three nodes, batch 1, in memory", () -> three.proposeBatch(1), ops, sites);
  }

  private static void install() throws Exception {
    Class<?> recorder = Class.forName(RECORDER);
    Class<?> sampler = Class.forName(SAMPLER);
    InvocationHandler handler =
        (proxy, method, a) -> {
          if (method.getName().equals("sampleAllocation")) {
            COUNTER.sample((String) a[1], (Long) a[3]);
            return null;
          }
          return method.getName().equals("hashCode") ? 0 : false;
        };
    Object proxy =
        Proxy.newProxyInstance(
            AllocationCount.class.getClassLoader(), new Class<?>[] {sampler}, handler);
    recorder.getMethod("addSampler", sampler).invoke(null, proxy);
  }

  private static void count(String name, LongSupplier op, int ops, boolean sites) {
    for (int i = 0; i < ProposalLoop.COMPACT_EVERY + 1000; i++) {
      op.getAsLong(); // every path once (a compaction included), the arrays grown
    }
    COUNTER.start(Thread.currentThread(), sites);
    for (int i = 0; i < ops; i++) {
      op.getAsLong();
    }
    COUNTER.stop();
    System.out.printf(
        "%s: %.2f allocations/op, %.0f B/op (instrumenter's sizes), over %d ops%n",
        name, (double) COUNTER.total / ops, (double) COUNTER.bytes / ops, ops);
    COUNTER.print(ops);
  }

  /** What the sampler saw while counting, on the counting thread only. */
  private static final class Counter {
    private volatile Thread thread;
    private boolean sites;
    private long total;
    private long bytes;
    private final Map<String, long[]> byType = new HashMap<>();
    private final Map<String, long[]> bySite = new HashMap<>();

    void start(Thread t, boolean withSites) {
      total = 0;
      bytes = 0;
      byType.clear();
      bySite.clear();
      sites = withSites;
      thread = t;
    }

    void stop() {
      thread = null;
    }

    void sample(String desc, long size) {
      if (Thread.currentThread() != thread) {
        return;
      }
      total++;
      bytes += size;
      byType.computeIfAbsent(desc, k -> new long[1])[0]++;
      if (sites) {
        bySite.computeIfAbsent(desc + " at " + site(), k -> new long[1])[0]++;
      }
    }

    private static String site() {
      StringBuilder sb = new StringBuilder();
      int kept = 0;
      for (StackTraceElement e : new Throwable().getStackTrace()) {
        String c = e.getClassName();
        if (c.startsWith(SKIP_PREFIX)
            || c.startsWith(AllocationCount.class.getName())
            || c.startsWith("jdk.proxy")
            || c.startsWith("java.lang.reflect.Proxy")) {
          continue;
        }
        sb.append(kept == 0 ? "" : " < ")
            .append(e.getClassName().replaceAll(".*\\.", ""))
            .append('.')
            .append(e.getMethodName())
            .append(':')
            .append(e.getLineNumber());
        if (++kept == 4) {
          break;
        }
      }
      return sb.toString();
    }

    void print(int ops) {
      printTop(byType, ops, 40);
      if (sites) {
        System.out.println("  by site:");
        printTop(bySite, ops, 60);
      }
    }

    private static void printTop(Map<String, long[]> counts, int ops, int limit) {
      List<Map.Entry<String, long[]>> sorted = new ArrayList<>(counts.entrySet());
      sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
      for (int i = 0; i < Math.min(limit, sorted.size()); i++) {
        Map.Entry<String, long[]> e = sorted.get(i);
        double perOp = (double) e.getValue()[0] / ops;
        if (perOp >= 0.001) {
          System.out.printf("  %8.3f  %s%n", perOp, e.getKey());
        }
      }
    }
  }
}

package io.stepraft.benchmarks.storage;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Config;
import io.stepraft.raft.Peer;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.Ready;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.storage.DurableStorage;
import io.stepraft.raft.storage.StorageOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One durable append, as a node's write path does it: a single-node leader proposes {@code batch}
 * entries of {@code payloadBytes}, takes the Ready and saves it with {@link DurableStorage} (the
 * entry records and a hard state record, one fdatasync), against the floor: the same payload bytes
 * appended to a preallocated file with {@link FileChannel#write} and one {@code force(false)}.
 * {@code batch=1} is the latency of one durable write; {@code batch=16} the throughput of a host
 * that batches proposals (bytes per second = {@code batch * payloadBytes} / time per operation).
 *
 * <p>Run (after {@code mvn -B install -DskipTests}):
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(mvn -q -pl benchmarks dependency:build-classpath
 *     -Dmdep.outputFile=/dev/stdout)" org.openjdk.jmh.Main WalAppendBenchmark
 * </pre>
 *
 * <p>The data directories are created under {@code java.io.tmpdir}; set it to the disk under test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class WalAppendBenchmark {
  private static final long RAW_FILE_BYTES = 64L << 20;

  @Param({"1024", "16384"})
  public int payloadBytes;

  @Param({"1", "16"})
  public int batch;

  private Path dir;
  private DurableStorage storage;
  private RawNode node;
  private ByteString payload;
  private FileChannel raw;
  private ByteBuffer rawBuffer;
  private long rawPosition;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("stepraft-wal-bench");
    byte[] bytes = new byte[payloadBytes];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    payload = ByteString.copyFrom(bytes);
    storage = DurableStorage.open(dir.resolve("node"), StorageOptions.builder().build());
    node =
        new RawNode(
            Config.builder()
                .id(1)
                .electionTicks(10)
                .heartbeatTicks(1)
                .storage(storage.raftStorage())
                .maxUncommittedEntriesSizeBytes(Long.MAX_VALUE)
                .build());
    node.bootstrap(List.of(new Peer(1, null)));
    drainReadies(); // applies the founding configuration, which an election waits for
    node.campaign();
    drainReadies();
    raw =
        FileChannel.open(
            dir.resolve("raw"),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
    for (long at = 0; at < RAW_FILE_BYTES; at += zeros.capacity()) {
      zeros.clear();
      raw.write(zeros, at);
    }
    raw.force(true);
    rawBuffer = ByteBuffer.wrap(bytes);
  }

  private void drainReadies() {
    while (node.hasReady()) {
      Ready rd = node.ready();
      storage.save(rd);
      for (Entry e : rd.committedEntries()) {
        if (e.getType() != EntryType.EntryNormal) {
          node.applyConfChange(e);
        }
      }
      node.advance(rd);
    }
  }

  /** A Ready holding {@code batch} entries, saved by DurableStorage (fdatasync included). */
  @Benchmark
  public void durableStorageSave() {
    for (int i = 0; i < batch; i++) {
      node.propose(payload);
    }
    Ready rd = node.ready();
    if (rd.entries().size() != batch) {
      throw new IllegalStateException(
          "a Ready of " + rd.entries().size() + " entries, expected " + batch);
    }
    storage.save(rd);
    node.advance(rd);
  }

  /** The floor: append {@code batch} payloads to a preallocated file and fdatasync it once. */
  @Benchmark
  public void fileChannelAppendAndForce() throws IOException {
    if (rawPosition + (long) batch * payloadBytes > RAW_FILE_BYTES) {
      rawPosition = 0;
    }
    for (int i = 0; i < batch; i++) {
      rawBuffer.clear();
      while (rawBuffer.hasRemaining()) {
        rawPosition += raw.write(rawBuffer, rawPosition);
      }
    }
    raw.force(false);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    storage.close();
    raw.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

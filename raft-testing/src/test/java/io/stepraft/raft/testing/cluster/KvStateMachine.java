package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A toy key-value store: the command {@code "key=value"} sets a key and returns its previous value
 * (empty when none); the query {@code "key"} returns the value (empty when none), the query {@code
 * "*"} the whole store. It fails loudly when asked to apply an index it has already passed.
 */
final class KvStateMachine implements ReplicatedStateMachine {
  static final String ALL = "*";

  private final Map<String, String> data = new TreeMap<>();
  private long lastIndex;

  /** Restores so far; read by the test thread. */
  final AtomicInteger restores = new AtomicInteger();

  static ByteString set(String key, String value) {
    return ByteString.copyFromUtf8(key + "=" + value);
  }

  @Override
  public ByteString apply(long index, ByteString command) {
    if (index <= lastIndex) {
      throw new IllegalStateException("asked to apply index " + index + " after " + lastIndex);
    }
    lastIndex = index;
    String[] kv = command.toStringUtf8().split("=", 2);
    String previous = data.put(kv[0], kv[1]);
    return ByteString.copyFromUtf8(previous == null ? "" : previous);
  }

  @Override
  public ByteString snapshot() {
    StringBuilder out = new StringBuilder().append(lastIndex);
    data.forEach((k, v) -> out.append('\n').append(k).append('=').append(v));
    return ByteString.copyFromUtf8(out.toString());
  }

  @Override
  public void restore(ByteString snapshot) {
    restores.incrementAndGet();
    String[] lines = snapshot.toStringUtf8().split("\n");
    data.clear();
    lastIndex = Long.parseLong(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      String[] kv = lines[i].split("=", 2);
      data.put(kv[0], kv[1]);
    }
  }

  @Override
  public ByteString read(ByteString query) {
    String q = query.toStringUtf8();
    if (q.equals(ALL)) {
      return ByteString.copyFromUtf8(data.toString());
    }
    return ByteString.copyFromUtf8(data.getOrDefault(q, ""));
  }
}

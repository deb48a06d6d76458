package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import io.stepraft.raft.testing.lincheck.KvModel;
import io.stepraft.raft.testing.lincheck.Model;
import io.stepraft.raft.testing.lincheck.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulator's default application: a key-value store over a handful of keys, written with put,
 * delete and compare-and-set (unique values, so that every read tells which write it saw) and read
 * with get, checked against {@link KvModel}.
 */
public final class KeyValueApplication
    implements SimApplication<KvModel.Input<String, String>, Reply<String>> {
  private static final int KEYS = 10;

  private long values;

  private KeyValueApplication() {}

  /** A new application: its values are numbered from 1 for each run. */
  public static KeyValueApplication create() {
    return new KeyValueApplication();
  }

  @Override
  public ReplicatedStateMachine newStateMachine() {
    return new Store();
  }

  @Override
  public KvModel.Input<String, String> nextCommand(SplittableRandom random) {
    String key = "k" + random.nextInt(KEYS);
    int kind = random.nextInt(10);
    String value = "v" + (++values);
    if (kind < 6) {
      return KvModel.put(key, value);
    } else if (kind < 7) {
      return KvModel.delete(key);
    } else if (kind < 8) {
      return KvModel.casIfAbsent(key, value);
    }
    // A compare-and-set against a value written recently, which may or may not still be there.
    long recent = Math.max(1, values - 1 - random.nextInt(8));
    return KvModel.cas(key, "v" + recent, value);
  }

  @Override
  public KvModel.Input<String, String> nextQuery(SplittableRandom random) {
    return KvModel.get("k" + random.nextInt(KEYS));
  }

  @Override
  public ByteString encode(KvModel.Input<String, String> input) {
    String text;
    if (input instanceof KvModel.Get<String, String> g) {
      text = "get " + g.key();
    } else if (input instanceof KvModel.Put<String, String> p) {
      text = "put " + p.key() + " " + p.value();
    } else if (input instanceof KvModel.Delete<String, String> d) {
      text = "del " + d.key();
    } else {
      KvModel.Cas<String, String> c = (KvModel.Cas<String, String>) input;
      text = "cas " + c.key() + " " + (c.expected() == null ? "-" : c.expected()) + " " + c.value();
    }
    return ByteString.copyFromUtf8(text);
  }

  @Override
  public Reply<String> decodeOutput(KvModel.Input<String, String> input, ByteString output) {
    String s = output.toStringUtf8();
    if (s.startsWith("found ")) {
      return Reply.found(s.substring("found ".length()));
    }
    return switch (s) {
      case "absent" -> Reply.absent();
      case "ok" -> Reply.ok();
      case "failed" -> Reply.failed();
      default -> throw new IllegalStateException("unknown output " + s + " for " + input);
    };
  }

  @Override
  public Model<?, KvModel.Input<String, String>, Reply<String>> model() {
    return KvModel.empty();
  }

  /** The replicated store: a sorted map, so that its snapshots are the same bytes everywhere. */
  private static final class Store implements ReplicatedStateMachine {
    private final TreeMap<String, String> map = new TreeMap<>();

    @Override
    public ByteString apply(long index, ByteString command) {
      String[] w = command.toStringUtf8().split(" ");
      switch (w[0]) {
        case "put" -> {
          map.put(w[1], w[2]);
          return text("ok");
        }
        case "del" -> {
          map.remove(w[1]);
          return text("ok");
        }
        case "cas" -> {
          String current = map.get(w[1]);
          boolean matches = w[2].equals("-") ? current == null : w[2].equals(current);
          if (!matches) {
            return text("failed");
          }
          map.put(w[1], w[3]);
          return text("ok");
        }
        default -> throw new IllegalArgumentException("unknown command " + command.toStringUtf8());
      }
    }

    @Override
    public ByteString snapshot() {
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, String> e : map.entrySet()) {
        sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
      }
      return ByteString.copyFromUtf8(sb.toString());
    }

    @Override
    public void restore(ByteString snapshot) {
      map.clear();
      for (String line : snapshot.toString(StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          int eq = line.indexOf('=');
          map.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }

    @Override
    public ByteString read(ByteString query) {
      String key = query.toStringUtf8().substring("get ".length());
      String v = map.get(key);
      return text(v == null ? "absent" : "found " + v);
    }

    private static ByteString text(String s) {
      return ByteString.copyFromUtf8(s);
    }
  }
}

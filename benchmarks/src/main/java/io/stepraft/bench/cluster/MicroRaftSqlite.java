package io.stepraft.bench.cluster;

import io.microraft.RaftEndpoint;
import io.microraft.model.impl.DefaultRaftModelFactory;
import io.microraft.model.log.BaseLogEntry;
import io.microraft.model.log.LogEntry;
import io.microraft.model.log.RaftGroupMembersView;
import io.microraft.model.log.SnapshotChunk;
import io.microraft.model.persistence.RaftEndpointPersistentState;
import io.microraft.model.persistence.RaftTermPersistentState;
import io.microraft.persistence.RaftStore;
import io.microraft.persistence.RaftStoreSerializer;
import io.microraft.store.sqlite.RaftSqliteStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * MicroRaft's durable store, {@code microraft-store-sqlite}: one SQLite database a node (WAL
 * journal, {@code synchronous=EXTRA}, so each flush is fsync'd), in a temporary directory. The
 * store needs a serializer for MicroRaft's model; this one writes what a restart would need (index,
 * term and the command's bytes) and is never asked to read back, since nodes do not restart here.
 */
final class MicroRaftSqlite implements AutoCloseable {
  private final TempDir dir;

  MicroRaftSqlite() throws java.io.IOException {
    dir = new TempDir("microraft-bench");
  }

  RaftStore open(RaftEndpoint endpoint) {
    return RaftSqliteStore.create(
        dir.path.resolve("node-" + endpoint.getId() + ".db").toFile(),
        new DefaultRaftModelFactory(),
        new Serializer());
  }

  @Override
  public void close() throws Exception {
    dir.close();
  }

  private static final class Serializer implements RaftStoreSerializer {
    @Override
    public RaftStoreSerializer.Serializer<RaftGroupMembersView> raftGroupMembersViewSerializer() {
      return writeOnly(v -> text(v.getLogIndex() + " " + v.getMembers()));
    }

    @Override
    public RaftStoreSerializer.Serializer<RaftEndpoint> raftEndpointSerializer() {
      return writeOnly(e -> text(String.valueOf(e.getId())));
    }

    @Override
    public RaftStoreSerializer.Serializer<LogEntry> logEntrySerializer() {
      return writeOnly(MicroRaftSqlite::entry);
    }

    @Override
    public RaftStoreSerializer.Serializer<SnapshotChunk> snapshotChunkSerializer() {
      return writeOnly(MicroRaftSqlite::entry);
    }

    @Override
    public RaftStoreSerializer.Serializer<RaftEndpointPersistentState>
        raftEndpointPersistentStateSerializer() {
      return writeOnly(s -> text(s.getLocalEndpoint().getId() + " " + s.isVoting()));
    }

    @Override
    public RaftStoreSerializer.Serializer<RaftTermPersistentState> raftTermPersistentState() {
      return writeOnly(s -> text(s.getTerm() + " " + s.getVotedFor()));
    }
  }

  private static byte[] entry(BaseLogEntry e) {
    byte[] op = e.getOperation() instanceof byte[] b ? b : text(String.valueOf(e.getOperation()));
    return ByteBuffer.allocate(12 + op.length)
        .putLong(e.getIndex())
        .putInt(e.getTerm())
        .put(op)
        .array();
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> RaftStoreSerializer.Serializer<T> writeOnly(Function<T, byte[]> write) {
    return new RaftStoreSerializer.Serializer<>() {
      @Override
      public byte[] serialize(T value) {
        return write.apply(value);
      }

      @Override
      public T deserialize(byte[] bytes) {
        throw new UnsupportedOperationException("the benchmark never restores a node");
      }
    };
  }
}

package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated state: the key-value map and the peer address of every member (learnt from the
 * configuration changes, so that it survives in snapshots). Touched only by the raft thread.
 */
final class KvStateMachine {
  private static final int SNAPSHOT_VERSION = 1;

  private final TreeMap<String, ByteString> data = new TreeMap<>();
  private final TreeMap<Long, String> members = new TreeMap<>();
  private long dataBytes;

  /** What applying a write did. */
  enum Outcome {
    /** Stored or deleted. */
    OK,
    /** Delete of an absent key: nothing changed. */
    NOT_FOUND,
    /** Compare-and-set whose expected value differed (or the key was absent): nothing changed. */
    CAS_FAILED
  }

  Outcome apply(Command c) {
    ByteString current = data.get(c.key());
    switch (c.op()) {
      case PUT:
        store(c.key(), c.value());
        return Outcome.OK;
      case DELETE:
        if (current == null) {
          return Outcome.NOT_FOUND;
        }
        remove(c.key());
        return Outcome.OK;
      case CAS:
        if (current == null || !current.equals(c.expected())) {
          return Outcome.CAS_FAILED;
        }
        store(c.key(), c.value());
        return Outcome.OK;
      default:
        throw new IllegalStateException("unknown op " + c.op());
    }
  }

  private void store(String key, ByteString value) {
    ByteString old = data.put(key, value);
    dataBytes += key.length() + value.size() - (old == null ? 0 : key.length() + old.size());
  }

  private void remove(String key) {
    ByteString old = data.remove(key);
    dataBytes -= key.length() + old.size();
  }

  /** The value, or null. */
  ByteString get(String key) {
    return data.get(key);
  }

  int size() {
    return data.size();
  }

  /** Approximate bytes held by keys and values. */
  long dataBytes() {
    return dataBytes;
  }

  void setMember(long id, String peerAddress) {
    if (!peerAddress.isEmpty()) {
      members.put(id, peerAddress);
    }
  }

  void removeMember(long id) {
    members.remove(id);
  }

  /** Member id to peer address, as learnt from the log. */
  Map<Long, String> members() {
    return Collections.unmodifiableMap(members);
  }

  /**
   * Starts from a backup's keys and values; its members are dropped (the new cluster's come from
   * its own founding configuration).
   */
  void restoreBackup(ByteString snapshot) {
    restore(snapshot);
    members.clear();
  }

  /** The whole state, for a snapshot. */
  ByteString snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(SNAPSHOT_VERSION);
      out.writeInt(members.size());
      for (Map.Entry<Long, String> m : members.entrySet()) {
        out.writeLong(m.getKey());
        Command.writeBytes(out, m.getValue().getBytes(StandardCharsets.UTF_8));
      }
      out.writeInt(data.size());
      for (Map.Entry<String, ByteString> e : data.entrySet()) {
        Command.writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
        Command.writeBytes(out, e.getValue().toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /**
   * Replaces the state with a snapshot's; an empty snapshot is the empty state.
   *
   * @throws IllegalArgumentException if the bytes are not a snapshot of this version
   */
  void restore(ByteString snapshot) {
    data.clear();
    members.clear();
    dataBytes = 0;
    if (snapshot.isEmpty()) {
      return;
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(snapshot.toByteArray()))) {
      int version = in.readInt();
      if (version != SNAPSHOT_VERSION) {
        throw new IllegalArgumentException("unknown snapshot version " + version);
      }
      int memberCount = in.readInt();
      for (int i = 0; i < memberCount; i++) {
        long id = in.readLong();
        members.put(id, new String(Command.readBytes(in), StandardCharsets.UTF_8));
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String key = new String(Command.readBytes(in), StandardCharsets.UTF_8);
        store(key, ByteString.copyFrom(Command.readBytes(in)));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated snapshot: " + e, e);
    }
  }
}

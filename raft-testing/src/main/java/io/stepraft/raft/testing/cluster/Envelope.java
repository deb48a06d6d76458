package io.stepraft.raft.testing.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import java.nio.ByteBuffer;

/**
 * How the driver marks a log entry with the request that proposed it: a normal entry's data is the
 * request id (8 bytes, big-endian) followed by the client's command; a configuration change carries
 * the id as its context. Request ids are positive; {@link #NONE} marks raft's own entries (a new
 * leader's empty entry, the bootstrap configuration).
 */
final class Envelope {
  static final long NONE = 0;
  static final int HEADER_BYTES = Long.BYTES;

  private Envelope() {}

  static ByteString wrap(long requestId, ByteString command) {
    return idBytes(requestId).concat(command);
  }

  static ByteString idBytes(long requestId) {
    return ByteString.copyFrom(ByteBuffer.allocate(HEADER_BYTES).putLong(requestId).array());
  }

  static long id(ByteString bytes) {
    if (bytes.size() < HEADER_BYTES) {
      return NONE;
    }
    long id = 0;
    for (int i = 0; i < HEADER_BYTES; i++) {
      id = (id << 8) | (bytes.byteAt(i) & 0xff); // no substring, no buffer: once per entry
    }
    return id;
  }

  static long id(byte[] bytes) {
    return bytes.length == HEADER_BYTES ? ByteBuffer.wrap(bytes).getLong() : NONE;
  }

  /** The client's command inside a normal entry's data. */
  static ByteString command(ByteString data) {
    return data.substring(HEADER_BYTES);
  }

  /** The request id an entry carries, or {@link #NONE}. */
  static long requestId(Entry e) {
    if (e.getType() == EntryType.EntryNormal) {
      return id(e.getData());
    }
    try {
      return id(ConfChangeEntry.decode(e).getContext());
    } catch (InvalidConfChangeException notOurs) {
      return NONE;
    }
  }
}

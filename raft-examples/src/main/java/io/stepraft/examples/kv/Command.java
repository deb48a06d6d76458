package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A write as it travels through the log: the envelope of one normal entry. The request id lets the
 * node that proposed it find the waiting client when the entry is applied.
 *
 * <p>Encoding: version byte (1), op byte, request id (8 bytes), key (length-prefixed UTF-8), then
 * for PUT the value, for CAS the expected and the new value (each length-prefixed bytes).
 *
 * @param requestId unique per request; the proposer's key to its waiting client
 * @param op what to do
 * @param key the key
 * @param value the value to store (PUT, CAS), else empty
 * @param expected the value a CAS expects, else empty
 */
record Command(long requestId, Op op, String key, ByteString value, ByteString expected) {
  private static final int VERSION = 1;

  /** The operations of the store. */
  enum Op {
    PUT,
    DELETE,
    CAS
  }

  static Command put(long requestId, String key, ByteString value) {
    return new Command(requestId, Op.PUT, key, value, ByteString.EMPTY);
  }

  static Command delete(long requestId, String key) {
    return new Command(requestId, Op.DELETE, key, ByteString.EMPTY, ByteString.EMPTY);
  }

  static Command cas(long requestId, String key, ByteString expected, ByteString value) {
    return new Command(requestId, Op.CAS, key, value, expected);
  }

  ByteString encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + key.length() + value.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(op.ordinal());
      out.writeLong(requestId);
      writeBytes(out, key.getBytes(StandardCharsets.UTF_8));
      if (op != Op.DELETE) {
        writeBytes(out, value.toByteArray());
      }
      if (op == Op.CAS) {
        writeBytes(out, expected.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(bytes.toByteArray());
  }

  /**
   * Decodes an entry's data.
   *
   * @throws IllegalArgumentException if it is not a command this version wrote
   */
  static Command decode(ByteString data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data.toByteArray()))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown command version " + version);
      }
      int opIndex = in.readUnsignedByte();
      if (opIndex >= Op.values().length) {
        throw new IllegalArgumentException("unknown command op " + opIndex);
      }
      Op op = Op.values()[opIndex];
      long requestId = in.readLong();
      String key = new String(readBytes(in), StandardCharsets.UTF_8);
      ByteString value = op == Op.DELETE ? ByteString.EMPTY : ByteString.copyFrom(readBytes(in));
      ByteString expected = op == Op.CAS ? ByteString.copyFrom(readBytes(in)) : ByteString.EMPTY;
      return new Command(requestId, op, key, value, expected);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated command: " + e, e);
    }
  }

  static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length " + n);
    }
    return in.readNBytes(n);
  }
}

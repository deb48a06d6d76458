package io.stepraft.examples.kv;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The context a configuration change carries: the request id of the HTTP call that proposed it (0
 * for the founding members) and the member's peer address, so that every node learns the address
 * when it applies the change, whether it was up at the time or replays it later.
 *
 * <p>Encoding: request id (8 bytes), then the address as UTF-8 {@code host:port} (empty for a
 * removal).
 *
 * @param requestId the proposer's request id, or 0
 * @param peerAddress {@code host:port}, or empty
 */
record MemberContext(long requestId, String peerAddress) {
  ByteString encode() {
    byte[] a = peerAddress.getBytes(StandardCharsets.UTF_8);
    return ByteString.copyFrom(ByteBuffer.allocate(8 + a.length).putLong(requestId).put(a).array());
  }

  /** Decodes a context; an empty or short one (a change made by another tool) has neither. */
  static MemberContext decode(ByteString context) {
    if (context.size() < 8) {
      return new MemberContext(0, "");
    }
    ByteBuffer b = context.asReadOnlyByteBuffer();
    long requestId = b.getLong();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new MemberContext(requestId, new String(a, StandardCharsets.UTF_8));
  }
}

package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * How the simulated clients wrap a command in an entry: an eight-byte request id, then the
 * application's command. The id makes a retried proposal recognisable, so that it is applied once.
 */
final class Envelope {
  private static final int ID_BYTES = Long.BYTES;

  private Envelope() {}

  static ByteString wrap(long requestId, ByteString command) {
    return ByteString.copyFrom(ByteBuffer.allocate(ID_BYTES).putLong(0, requestId).array())
        .concat(command);
  }

  /** The request id of an entry's data, which must be an envelope. */
  static long id(ByteString data) {
    if (data.size() < ID_BYTES) {
      throw new IllegalStateException(
          "entry data of " + data.size() + " bytes holds no request id");
    }
    return data.substring(0, ID_BYTES).asReadOnlyByteBuffer().getLong();
  }

  static ByteString command(ByteString data) {
    return data.substring(ID_BYTES);
  }
}

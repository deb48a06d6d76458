package io.stepraft.bench.cluster;

import com.google.protobuf.ByteString;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import java.nio.ByteBuffer;

/**
 * The state machine of stepraft's group: counts the commands applied and answers each with the
 * count, as the peers' benchmark state machines do.
 */
final class CounterMachine implements ReplicatedStateMachine {
  private long applied;

  @Override
  public ByteString apply(long index, ByteString command) {
    applied++;
    return ByteString.EMPTY;
  }

  @Override
  public ByteString snapshot() {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, applied));
  }

  @Override
  public void restore(ByteString snapshot) {
    applied = snapshot.asReadOnlyByteBuffer().getLong(0);
  }

  @Override
  public ByteString read(ByteString query) {
    return snapshot();
  }
}

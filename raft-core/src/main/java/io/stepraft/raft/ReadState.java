package io.stepraft.raft;

import java.util.Arrays;

/**
 * The answer to a {@link RawNode#readIndex(byte[])} request: once the host has applied {@code
 * index}, a read issued with {@code requestContext} may be served linearizably.
 *
 * @param index the commit index the read must wait for
 * @param requestContext the context the host passed to {@code readIndex}
 */
public record ReadState(long index, byte[] requestContext) {
  @Override
  public boolean equals(Object o) {
    return o instanceof ReadState r
        && r.index == index
        && Arrays.equals(r.requestContext, requestContext);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(requestContext);
  }

  @Override
  public String toString() {
    return "ReadState[index=" + index + ", requestContext=" + Arrays.toString(requestContext) + "]";
  }
}

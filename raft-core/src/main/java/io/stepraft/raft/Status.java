package io.stepraft.raft;

import io.stepraft.raft.pb.ConfState;
import java.util.Map;

/**
 * A node's state with its configuration and, on the leader, every peer's replication progress.
 *
 * @param basic the {@link BasicStatus}
 * @param config the current configuration
 * @param progress per peer id, on the leader; empty elsewhere. Sorted by id, immutable
 */
public record Status(BasicStatus basic, ConfState config, Map<Long, PeerProgress> progress) {
  /** The node's id. */
  public long id() {
    return basic.id();
  }

  /** The node's role. */
  public Role role() {
    return basic.softState().role();
  }

  /** The known leader, or {@code 0}. */
  public long lead() {
    return basic.softState().lead();
  }
}

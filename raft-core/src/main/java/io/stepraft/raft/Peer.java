package io.stepraft.raft;

/**
 * A member of the initial configuration, for {@link RawNode#bootstrap}.
 *
 * @param id the node's id, never {@code 0}
 * @param context opaque data stored in the bootstrap configuration change, or {@code null}
 */
public record Peer(long id, byte[] context) {
  /** A peer without context. */
  public static Peer of(long id) {
    return new Peer(id, null);
  }

  /** Validates the id. */
  public Peer {
    if (id == 0) {
      throw new IllegalArgumentException("peer id must not be 0");
    }
  }
}

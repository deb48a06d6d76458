package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.Entry;

/** Cheap 64-bit fingerprints of entries and of applied histories. */
final class Digests {
  private Digests() {}

  /** A fingerprint of an entry's term, type and data (not its index). */
  static long entry(Entry e) {
    long h = e.getTerm() * 0x9E3779B97F4A7C15L;
    h ^= e.getType().getNumber() * 0xC2B2AE3D27D4EB4FL;
    h ^= (e.getData().hashCode() & 0xFFFFFFFFL) * 0x165667B19E3779F9L;
    h ^= e.getData().size();
    return mix(h);
  }

  /**
   * The digest of a history extended by the entry at {@code index} with fingerprint {@code entry}.
   */
  static long chain(long prev, long index, long entry) {
    return mix(prev * 31 + index * 0x9E3779B97F4A7C15L + entry);
  }

  /** A strong 64-bit mixer (SplitMix64's finalizer). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

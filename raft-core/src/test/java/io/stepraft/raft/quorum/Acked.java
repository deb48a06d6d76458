package io.stepraft.raft.quorum;

import java.util.HashMap;
import java.util.Map;

/** A test indexer built from "id=index" pairs; unknown ids acknowledged 0. */
final class Acked implements AckedIndexer {
  private final Map<Long, Long> indexes = new HashMap<>();

  static Acked of(long... idIndexPairs) {
    Acked acked = new Acked();
    for (int i = 0; i < idIndexPairs.length; i += 2) {
      acked.indexes.put(idIndexPairs[i], idIndexPairs[i + 1]);
    }
    return acked;
  }

  void put(long id, long index) {
    indexes.put(id, index);
  }

  @Override
  public long ackedIndex(long voterId) {
    return indexes.getOrDefault(voterId, 0L);
  }

  @Override
  public String toString() {
    return indexes.toString();
  }
}

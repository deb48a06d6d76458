package io.stepraft.raft.testing;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import java.util.List;

/**
 * Storages prepared by hand: what a node finds on its disk when it restarts, for tests that start a
 * node in a given state instead of driving it there.
 */
public final class Storages {
  private Storages() {}

  /**
   * A storage restored from {@code snapshot} (which carries the configuration), holding {@code
   * entries} after it and {@code hardState}.
   *
   * @param snapshot the snapshot the log starts after
   * @param entries the entries from the snapshot's index + 1 on, consecutive; may be empty
   * @param hardState the persisted term, vote and commit index
   * @return the storage
   */
  public static MemoryStorage withEntries(
      Snapshot snapshot, List<Entry> entries, HardState hardState) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(snapshot);
    s.append(entries);
    s.setHardState(hardState);
    return s;
  }

  /**
   * A hard state.
   *
   * @param term the current term
   * @param vote the node voted for in {@code term}, 0 for none
   * @param commit the commit index
   * @return the hard state
   */
  public static HardState hardState(long term, long vote, long commit) {
    return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(commit).build();
  }
}

package io.stepraft.bench.cluster;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.RaftMetaStorageOptions;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;

/** A SOFAJRaft node's term and vote, in memory (its own keeps them in a file). */
final class MemoryMetaStorage implements RaftMetaStorage {
  private long term;
  private PeerId votedFor = PeerId.emptyPeer();

  @Override
  public boolean init(RaftMetaStorageOptions opts) {
    return true;
  }

  @Override
  public void shutdown() {}

  @Override
  public synchronized boolean setTerm(long term) {
    this.term = term;
    return true;
  }

  @Override
  public synchronized long getTerm() {
    return term;
  }

  @Override
  public synchronized boolean setVotedFor(PeerId peerId) {
    votedFor = peerId.copy();
    return true;
  }

  @Override
  public synchronized PeerId getVotedFor() {
    return votedFor;
  }

  @Override
  public synchronized boolean setTermAndVotedFor(long term, PeerId peerId) {
    this.term = term;
    votedFor = peerId.copy();
    return true;
  }
}

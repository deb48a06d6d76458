package io.stepraft.bench.cluster;

import com.alipay.sofa.jraft.core.DefaultJRaftServiceFactory;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.LogStorage;
import com.alipay.sofa.jraft.storage.RaftMetaStorage;

/**
 * SOFAJRaft's services for the in-memory runs: the log ({@link MemoryLogStorage}) and the term and
 * vote ({@link MemoryMetaStorage}) in memory, since SOFAJRaft ships only storages on disk.
 * Snapshots stay SOFAJRaft's own, in files. The URIs SOFAJRaft passes are ignored.
 */
final class MemoryServiceFactory extends DefaultJRaftServiceFactory {
  @Override
  public LogStorage createLogStorage(String uri, RaftOptions raftOptions) {
    return new MemoryLogStorage();
  }

  @Override
  public RaftMetaStorage createRaftMetaStorage(String uri, RaftOptions raftOptions) {
    return new MemoryMetaStorage();
  }
}

package io.stepraft.bench.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jgroups.JChannel;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.FileBasedLog;
import org.jgroups.protocols.raft.InMemoryLog;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;

/**
 * jgroups-raft's group: three JGroups channels in this JVM over JGroups' in-process transport
 * ({@code SHARED_LOOPBACK}, messages serialized into JGroups messages and handed over in memory),
 * with the stack of jgroups-raft's own {@code raft.xml} less what a loopback transport does not
 * need (failure detection, merging, flow control, fragmentation): NAKACK2, UNICAST3, STABLE,
 * NO_DUPES, GMS, ELECTION, RAFT, REDIRECT. In memory: {@link InMemoryLog}. Durable: {@link
 * FileBasedLog} with fsync on, in a temporary directory. RAFT's defaults otherwise.
 */
final class JGroupsRaftGroup implements RaftGroup {
  private static final List<String> MEMBERS = List.of("A", "B", "C");

  private final List<JChannel> channels;
  private final RaftHandle leader;
  private final TempDir dir;

  private JGroupsRaftGroup(List<JChannel> channels, RaftHandle leader, TempDir dir) {
    this.channels = channels;
    this.leader = leader;
    this.dir = dir;
  }

  static JGroupsRaftGroup start(Durability durability) throws Exception {
    TempDir dir = new TempDir("jgroups-raft-bench");
    String cluster = dir.path.getFileName().toString();
    List<JChannel> channels = new ArrayList<>();
    List<RaftHandle> handles = new ArrayList<>();
    try {
      for (String id : MEMBERS) {
        RAFT raft =
            new RAFT()
                .members(MEMBERS)
                .raftId(id)
                .logPrefix(cluster + "-" + id)
                .logDir(dir.path.toString());
        if (durability == Durability.DURABLE) {
          raft.logClass(FileBasedLog.class.getName()).logUseFsync(true);
        } else {
          raft.logClass(InMemoryLog.class.getName());
        }
        JChannel ch =
            new JChannel(
                new SHARED_LOOPBACK(),
                new SHARED_LOOPBACK_PING(),
                new NAKACK2(),
                new UNICAST3(),
                new STABLE(),
                new NO_DUPES(),
                new GMS(),
                new ELECTION(),
                raft,
                new REDIRECT());
        ch.name(id);
        channels.add(ch);
        handles.add(new RaftHandle(ch, new Counter()));
        ch.connect(cluster);
      }
      RaftHandle leader =
          Await.value(
              "jgroups-raft leader",
              () -> handles.stream().filter(RaftHandle::isLeader).findFirst().orElse(null));
      return new JGroupsRaftGroup(channels, leader, dir);
    } catch (Exception e) {
      channels.forEach(JChannel::close);
      dir.close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<?> propose(byte[] command) {
    try {
      return leader.setAsync(command, 0, command.length);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      channels.forEach(JChannel::close);
    } finally {
      dir.close();
    }
  }

  /** Counts the commands applied. */
  private static final class Counter implements StateMachine {
    private long applied;

    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
      applied++;
      return null;
    }

    @Override
    public void readContentFrom(DataInput in) throws java.io.IOException {
      applied = in.readLong();
    }

    @Override
    public void writeContentTo(DataOutput out) throws java.io.IOException {
      out.writeLong(applied);
    }
  }
}

package io.stepraft.raft.testing.sim;

import io.stepraft.raft.MemoryStorage;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.ReadState;
import io.stepraft.raft.Role;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One simulated server: a process running a {@link RawNode} over a {@link MemoryStorage}, with a
 * {@link SimDisk} that survives crashes and a durable {@link StateMachine}.
 */
final class SimNode {
  enum Status {
    /** Never started: a spare waiting to be added. */
    NEW,
    UP,
    /** Alive but frozen: no ticks; messages queue in {@link #inbox}. */
    PAUSED,
    /** Down until restarted from its disk. */
    CRASHED,
    /** Shut down after its removal from the configuration; restarted if it is added again. */
    STOPPED,
    /**
     * Its storage refused to start over damaged data: out of service for good, its disk wiped; the
     * operator replaces it by a new member.
     */
    LOST
  }

  /** The most messages a paused node queues; later ones are lost. */
  static final int INBOX_MAX = 10_000;

  final long id;
  final SimDisk disk;
  final StateMachine sm;

  /** This node's tick period in microticks: nominal, skewed a little. */
  final int tickMicros;

  final ArrayDeque<Message> inbox = new ArrayDeque<>();

  /**
   * Acknowledgements this node received that the network delivers once more when the node next
   * becomes leader (see {@link SimParams.NetworkParams#replayRate}); kept across crashes, as a
   * sender's retransmission buffer would be.
   */
  final ArrayList<Message> replays = new ArrayList<>();

  Status status = Status.NEW;

  /** Bumped whenever scheduled ticks and resumes must be invalidated. */
  int epoch;

  int starts;
  MemoryStorage storage;
  RawNode raw;

  /** The role from the last soft state the host saw. */
  Role role = Role.FOLLOWER;

  /** The highest commit index this process has reported. */
  long commitSeen;

  /**
   * The index of the last configuration change applied to the RawNode (its configuration's
   * version).
   */
  long confIndex;

  /** With asynchronous storage writes: the MsgStorageAppend messages not yet done, in order. */
  final ArrayDeque<Message> appendWork = new ArrayDeque<>();

  /** With asynchronous storage writes: the MsgStorageApply messages not yet done, in order. */
  final ArrayDeque<Message> applyWork = new ArrayDeque<>();

  /** Whether a READY event is scheduled to handle this node's Readies. */
  boolean readyScheduled;

  /** A synchronous Ready written but not yet finished (fsync, send, apply, advance), or null. */
  io.stepraft.raft.Ready outstanding;

  /** Bumped when the process dies: its pending storage work events are then ignored. */
  int workGen;

  /** Whether an event for the next append (apply) work item is scheduled. */
  boolean appendScheduled;

  boolean applyScheduled;

  /**
   * With asynchronous storage writes: the term this node became leader of, whose leader
   * completeness check waits until its storage holds its whole log; 0 if none.
   */
  long leaderCheckTerm;

  /**
   * The index of the last snapshot restored into the RawNode (at start, or from a Ready). With
   * asynchronous storage writes the apply thread may still hold entries below it, handed out before
   * the snapshot arrived; their configuration changes must not be applied to the RawNode again,
   * which already holds the snapshot's newer configuration.
   */
  long snapshotFloor;

  /** Reads with an answer (a read index) that this node serves once it applied that index. */
  final ArrayDeque<ReadState> readsToServe = new ArrayDeque<>();

  SimNode(long id, SimDisk disk, int tickMicros, StateMachine sm) {
    this.id = id;
    this.sm = sm;
    this.disk = disk;
    this.tickMicros = tickMicros;
  }

  boolean isUp() {
    return status == Status.UP;
  }

  /** Lost to damaged storage: out of service for good. */
  boolean isLost() {
    return status == Status.LOST;
  }

  boolean isRunning() {
    return status == Status.UP || status == Status.PAUSED;
  }

  /** Drops the process: its RawNode, storage and queued messages. */
  void kill(Status to) {
    status = to;
    epoch++;
    raw = null;
    storage = null;
    inbox.clear();
    appendWork.clear();
    applyWork.clear();
    workGen++;
    appendScheduled = false;
    applyScheduled = false;
    leaderCheckTerm = 0;
    role = Role.FOLLOWER;
    readyScheduled = false;
    outstanding = null;
    readsToServe.clear();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("node ").append(id).append(' ').append(status);
    if (raw != null) {
      io.stepraft.raft.Status s = raw.status();
      HardState hs = s.basic().hardState();
      sb.append(" term=")
          .append(hs.getTerm())
          .append(" vote=")
          .append(hs.getVote())
          .append(" commit=")
          .append(hs.getCommit())
          .append(" applied=")
          .append(s.basic().applied())
          .append(' ')
          .append(s.role())
          .append(" lead=")
          .append(s.lead())
          .append(" config=")
          .append(s.config().getVotersList())
          .append(
              s.config().getVotersOutgoingCount() > 0
                  ? "&" + s.config().getVotersOutgoingList()
                  : "")
          .append(" learners=")
          .append(s.config().getLearnersList())
          .append(" lastIndex=")
          .append(storage.lastIndex());
      if (!s.progress().isEmpty()) {
        sb.append(" progress=").append(s.progress());
      }
    }
    if (!appendWork.isEmpty() || !applyWork.isEmpty()) {
      sb.append(" pendingAppends=")
          .append(appendWork.size())
          .append(" pendingApplies=")
          .append(applyWork.size());
    }
    return sb.append(" smApplied=").append(sm.applied()).append(' ').append(disk).toString();
  }
}

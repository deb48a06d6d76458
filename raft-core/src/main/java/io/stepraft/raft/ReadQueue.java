package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.quorum.JointConfig;
import java.util.List;

/**
 * The leader's reads waiting for a quorum to confirm that it still leads (ReadIndex, §6.4 of
 * Ongaro's thesis): each read is queued with the commit index it was recorded at, a heartbeat round
 * carries a context naming the reads queued so far, and the voters' acknowledgements of those
 * contexts confirm reads.
 *
 * <p>Production nodes use {@link PositionedReadQueue}; tests plant broken queues through {@link
 * CoreParts} to show that the simulator's read checker notices.
 */
interface ReadQueue {
  /**
   * A queued read.
   *
   * @param request the MsgReadIndex (its one entry holds the host's context)
   * @param index the leader's commit index when the read was queued
   */
  record Read(Message request, long index) {}

  /**
   * Queues a read recorded at commit index {@code index}.
   *
   * @return the context of the heartbeat round that confirms it
   */
  ByteString add(Message request, long index);

  /**
   * The context the leader's periodic heartbeats carry: that of the newest queued read, or null.
   */
  ByteString heartbeatContext();

  /**
   * Records that {@code voter} acknowledged a heartbeat carrying {@code context} in the leader's
   * term, and dequeues the reads that a quorum of {@code voters} has now confirmed.
   *
   * @return the confirmed reads, oldest first; empty if none
   */
  List<Read> acknowledge(long voter, ByteString context, JointConfig voters);

  /** How many reads are queued. */
  int size();

  /** Dequeues every read (the leader steps down) and returns their requests, oldest first. */
  List<Message> clear();
}

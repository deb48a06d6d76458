package io.stepraft.raft.testing.sim;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.SplittableRandom;

/**
 * The simulated network: every message gets its own random delay (so messages reorder), may be lost
 * or duplicated, and is dropped at delivery if its link is cut. Links are directed, so partitions
 * may be symmetric or one-way. After the chaos phase the network is calm: no loss, no duplicates,
 * no delay spikes.
 */
final class Network {
  private final World w;
  private final SimParams.NetworkParams p;
  private final SplittableRandom rng;
  private final PlantedBug bug;

  /** Decides the replays only, so that runs without them draw as before they existed. */
  private final SplittableRandom replayRng;

  /** {@code cut[from][to]}: messages from {@code from} to {@code to} are lost. */
  private final boolean[][] cut;

  private boolean calm;

  Network(World w, int nodes) {
    this.w = w;
    this.p = w.params.network();
    this.rng = w.rng;
    this.bug = w.options.bug();
    this.replayRng = new SplittableRandom(w.params.seed() ^ 0x5DEECE66DL);
    this.cut = new boolean[nodes + 1][nodes + 1];
  }

  /** Sends a message a node emitted. */
  void send(Message m) {
    w.stats.messages++;
    if (bug == PlantedBug.DROP_VOTES
        && (m.getType() == MessageType.MsgVote || m.getType() == MessageType.MsgPreVote)) {
      return;
    }
    if (bug == PlantedBug.FORGE_VOTE && m.getType() == MessageType.MsgVote) {
      schedule(
          Message.newBuilder()
              .setType(MessageType.MsgVoteResp)
              .setFrom(m.getTo())
              .setTo(m.getFrom())
              .setTerm(m.getTerm())
              .build());
    }
    if (bug == PlantedBug.CORRUPT_ENTRY
        && m.getType() == MessageType.MsgApp
        && rng.nextInt(4) == 0) {
      m = corrupt(m);
    }
    if (!calm && rng.nextDouble() < p.dropRate()) {
      w.stats.lost++;
      reportSnapshot(m, false); // snapshots go over a stream whose failure the sender learns of
      return;
    }
    schedule(m);
    if (!calm && rng.nextDouble() < p.dupRate()) {
      w.stats.duplicated++;
      schedule(m);
    }
  }

  private void schedule(Message m) {
    long delay = 1 + rng.nextInt(p.maxDelayMicros());
    if (!calm && rng.nextDouble() < p.spikeRate()) {
      delay += rng.nextInt(p.spikeMicros());
    }
    w.events.schedule(w.now + delay, Event.Kind.DELIVER, m.getTo(), 0, 0, false, m);
  }

  /**
   * Delivers a message whose delay is over, unless its link is cut or its target is down. A message
   * that already crossed the network ({@code held}: it waited in the receiver's queue) needs no
   * link.
   */
  void deliver(Message m, boolean held) {
    long to = m.getTo();
    if (to < 1 || to >= w.nodes.length) {
      w.stats.undeliverable++;
      return;
    }
    SimNode n = w.nodes[(int) to];
    boolean through = held || linkUp(m.getFrom(), to);
    if (through && n.isUp() && !held && maybeHold(m)) {
      return;
    }
    if (through && n.isUp()) {
      maybeKeepForReplay(n, m);
      w.trace.add(w.now, held ? "recv (held)" : "recv", to, m);
      w.host.input(n, () -> n.raw.step(m));
      reportSnapshot(m, true);
    } else if (through && n.status == SimNode.Status.PAUSED && n.inbox.size() < SimNode.INBOX_MAX) {
      n.inbox.addLast(m);
      reportSnapshot(m, true);
    } else {
      w.stats.undeliverable++;
      reportSnapshot(m, false);
      MessageType t = m.getType();
      if (t == MessageType.MsgApp || t == MessageType.MsgHeartbeat || t == MessageType.MsgSnap) {
        w.events.schedule(w.now + 1, Event.Kind.UNREACHABLE, m.getFrom(), 0, to, false, null);
      }
    }
  }

  /**
   * Whether a message that just reached its receiver waits in the receiver's queue instead of being
   * handled now: a held message meets whatever term and leader the receiver has when it comes out,
   * up to a few election timeouts later. A forwarded read or a heartbeat answer may also be handled
   * now and once more later (an echo), as a retrying transport would deliver it.
   */
  private boolean maybeHold(Message m) {
    if (calm) {
      return false;
    }
    MessageType t = m.getType();
    boolean confirmsReads = t == MessageType.MsgReadIndex || t == MessageType.MsgHeartbeatResp;
    if (confirmsReads && rng.nextDouble() < p.echoRate()) {
      w.stats.echoed++;
      hold(m);
      return false;
    }
    if (rng.nextDouble() < p.holdRate()) {
      w.stats.held++;
      hold(m);
      return true;
    }
    return false;
  }

  private void hold(Message m) {
    long maxMicros =
        (long) SimParams.NetworkParams.HOLD_ELECTION_TIMEOUTS_MAX
            * w.params.cluster().electionTicks()
            * World.TICK_MICROS;
    w.events.schedule(
        w.now + 1 + (long) (rng.nextDouble() * maxMicros),
        Event.Kind.DELIVER,
        m.getTo(),
        0,
        0,
        true,
        m);
  }

  private void maybeKeepForReplay(SimNode n, Message m) {
    MessageType t = m.getType();
    if (calm
        || p.replayRate() == 0
        || (t != MessageType.MsgAppResp && t != MessageType.MsgHeartbeatResp)
        || replayRng.nextDouble() >= p.replayRate()) {
      return;
    }
    if (n.replays.size() < SimParams.NetworkParams.REPLAY_MAX) {
      n.replays.add(m);
    } else {
      n.replays.set(replayRng.nextInt(n.replays.size()), m);
    }
  }

  /**
   * Delivers once more, a moment from now, the acknowledgements {@code n} kept from terms before
   * {@code term}, in which it now leads.
   */
  void replay(SimNode n, long term) {
    if (calm) {
      n.replays.clear();
      return;
    }
    for (Message m : n.replays) {
      if (m.getTerm() < term) {
        w.stats.replayed++;
        w.events.schedule(w.now + 1, Event.Kind.DELIVER, n.id, 0, 0, true, m);
      }
    }
    n.replays.clear();
  }

  /** Tells the sender of a MsgSnap, a moment later, whether it arrived. */
  void reportSnapshot(Message m, boolean ok) {
    if (m.getType() == MessageType.MsgSnap) {
      w.events.schedule(w.now + 1, Event.Kind.SNAP_STATUS, m.getFrom(), 0, m.getTo(), ok, null);
    }
  }

  private static Message corrupt(Message m) {
    Message.Builder b = m.toBuilder();
    for (int i = 0; i < b.getEntriesCount(); i++) {
      Entry e = b.getEntries(i);
      if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
        b.setEntries(i, e.toBuilder().setData(e.getData().concat(ByteString.copyFromUtf8("!"))));
        return b.build();
      }
    }
    return m;
  }

  /** Whether a message from {@code from} to {@code to} gets through now. */
  boolean linkUp(long from, long to) {
    if (from <= 0 || from >= cut.length || to <= 0 || to >= cut.length) {
      return true;
    }
    return !cut[(int) from][(int) to];
  }

  /** Cuts every link between {@code side} (a bit set of ids) and the other nodes, both ways. */
  void split(long side) {
    for (int a = 1; a < cut.length; a++) {
      for (int b = 1; b < cut.length; b++) {
        if (((side >> a) & 1) != ((side >> b) & 1)) {
          cut[a][b] = true;
        }
      }
    }
  }

  /** Cuts the link from {@code from} to {@code to} only. */
  void cutOneWay(int from, int to) {
    cut[from][to] = true;
  }

  /** Cuts every link to and from {@code id}. */
  void isolate(int id) {
    for (int o = 1; o < cut.length; o++) {
      if (o != id) {
        cut[id][o] = true;
        cut[o][id] = true;
      }
    }
  }

  /** Restores every link. */
  void heal() {
    for (boolean[] row : cut) {
      java.util.Arrays.fill(row, false);
    }
  }

  /** Ends loss, duplication and spikes for good, and heals every link. */
  void calm() {
    calm = true;
    heal();
  }
}

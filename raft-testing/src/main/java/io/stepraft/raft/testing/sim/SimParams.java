package io.stepraft.raft.testing.sim;

import java.util.SplittableRandom;

/**
 * The parameters of one simulated run, drawn at random within fixed bounds from the run's random
 * source, so that a seed fixes them. Rates are probabilities per driver round (four per tick)
 * unless said otherwise; times are in logical microticks (100 per tick).
 *
 * @param seed the run's seed
 * @param cluster the nodes and their raft configuration
 * @param network message loss, duplication and delay
 * @param faults partitions, crashes and pauses
 * @param load what the clients do
 * @param storm the rare state the run's schedule is biased toward
 */
public record SimParams(
    long seed,
    ClusterParams cluster,
    NetworkParams network,
    FaultParams faults,
    LoadParams load,
    Storm storm) {

  /**
   * A schedule biased toward a rare, dangerous state, or none. Half the runs have a storm, an
   * eighth each kind.
   */
  public enum Storm {
    /** No bias. */
    NONE,
    /**
     * Leaders crash while their log has an uncommitted tail, replication is slow (small messages,
     * one in flight) and leaders change often: entries of older terms sit on bare majorities when a
     * new leader comes (Figure 8 of the Raft paper). Acknowledgements a leader received are
     * replayed to it when it leads again, after another leader replaced its tail.
     */
    FIGURE_8,
    /**
     * Membership changes through joint configurations, often, with crashes and partitions while a
     * configuration is joint.
     */
    JOINT,
    /** Frequent snapshots and compaction racing with partitions that make logs conflict. */
    SNAPSHOTS,
    /**
     * Many messages held in their receiver's queue across leader changes, and forwarded reads and
     * heartbeat answers echoed, on three nodes without CheckQuorum with many reads and partitions:
     * stale acknowledgements and requests meet newer leaders, and deposed leaders keep serving.
     * Some acknowledgements are replayed to a node that leads again.
     */
    LATE_MESSAGES
  }

  /**
   * The nominal length of a tick in simulated time, for figures per second: 100 ms, etcd's default
   * heartbeat interval.
   */
  public static final int TICK_MILLIS = 100;

  /**
   * The nodes and their raft configuration.
   *
   * @param nodes how many nodes exist (3..7), ids {@code 1..nodes}
   * @param initialVoters how many of them are bootstrapped as voters (3..nodes); the rest are
   *     spares
   * @param electionTicks the election timeout in ticks
   * @param heartbeatTicks the heartbeat interval in ticks
   * @param preVote whether PreVote is on
   * @param checkQuorum whether CheckQuorum is on
   * @param stepDownOnRemoval whether a removed leader steps down
   * @param disableProposalForwarding whether followers refuse proposals
   * @param maxSizePerMsgBytes the raft setting of that name
   * @param maxInflightMsgs the raft setting of that name
   * @param maxInflightBytes the raft setting of that name
   * @param maxUncommittedBytes the raft setting maxUncommittedEntriesSizeBytes
   * @param maxCommittedPerReadyBytes the raft setting maxCommittedSizePerReadyBytes
   * @param lazyCommitSync whether the host skips fsync when only the commit index changed
   * @param tickSkew how far a node's tick period may differ from the nominal one (fraction)
   * @param asyncWrites whether nodes run with {@code asyncStorageWrites(true)}: the host then does
   *     each MsgStorageAppend and MsgStorageApply later, as a separate event
   * @param maxStorageDelayMicros with asyncWrites, the largest delay of one storage work item;
   *     delays are uniform in {@code [1, max]}
   * @param maxReadyDelayMicros 0 for hosts that handle each input's Ready at once; else hosts wait
   *     up to this long before handling Readies, stepping every input that arrives meanwhile, and a
   *     synchronous host holds a quarter of its Readies written but unfinished (no fsync, send,
   *     apply or advance) for up to this long too
   */
  public record ClusterParams(
      int nodes,
      int initialVoters,
      int electionTicks,
      int heartbeatTicks,
      boolean preVote,
      boolean checkQuorum,
      boolean stepDownOnRemoval,
      boolean disableProposalForwarding,
      long maxSizePerMsgBytes,
      int maxInflightMsgs,
      long maxInflightBytes,
      long maxUncommittedBytes,
      long maxCommittedPerReadyBytes,
      boolean lazyCommitSync,
      double tickSkew,
      boolean asyncWrites,
      int maxStorageDelayMicros,
      int maxReadyDelayMicros,
      boolean leaseReads) {

    /** A copy with asynchronous storage writes on or off. */
    public ClusterParams withAsyncWrites(boolean async) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          async,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }

    /** A copy with {@code nodes} nodes of which the first {@code voters} start as voters. */
    public ClusterParams withNodes(int nodes, int voters) {
      return new ClusterParams(
          nodes,
          voters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }

    /** A copy with PreVote and CheckQuorum set (lease reads need CheckQuorum: off without it). */
    public ClusterParams withPreVoteAndCheckQuorum(boolean preVote, boolean checkQuorum) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads && checkQuorum);
    }

    /** A copy with other replication limits. */
    public ClusterParams withReplicationLimits(
        long maxSizePerMsgBytes, int maxInflightMsgs, long maxInflightBytes) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }

    /** A copy whose hosts handle Readies at once (0) or batch and hold them up to that long. */
    public ClusterParams withReadyDelay(int maxReadyDelayMicros) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }

    /** A copy whose nodes' tick periods differ from the nominal one by up to {@code tickSkew}. */
    public ClusterParams withTickSkew(double tickSkew) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }

    /** A copy whose reads are lease-based (which needs CheckQuorum) or safe. */
    public ClusterParams withLeaseReads(boolean leaseReads) {
      return new ClusterParams(
          nodes,
          initialVoters,
          electionTicks,
          heartbeatTicks,
          preVote,
          checkQuorum,
          stepDownOnRemoval,
          disableProposalForwarding,
          maxSizePerMsgBytes,
          maxInflightMsgs,
          maxInflightBytes,
          maxUncommittedBytes,
          maxCommittedPerReadyBytes,
          lazyCommitSync,
          tickSkew,
          asyncWrites,
          maxStorageDelayMicros,
          maxReadyDelayMicros,
          leaseReads);
    }
  }

  /**
   * Message loss, duplication and delay, per message.
   *
   * @param dropRate the probability that a message is lost
   * @param dupRate the probability that a message is delivered twice
   * @param maxDelayMicros the largest ordinary delay; delays are uniform in {@code [1, max]}
   * @param spikeRate the probability that a message is held back further
   * @param spikeMicros the largest extra delay of a held-back message
   * @param holdRate the probability that a message, once it crossed the network, waits in its
   *     receiver's queue for up to {@link #HOLD_ELECTION_TIMEOUTS_MAX} election timeouts, so that
   *     it meets a newer term (or a leader that was cut off since)
   * @param echoRate the probability that a forwarded read (MsgReadIndex) or a heartbeat answer
   *     (MsgHeartbeatResp), the messages that confirm reads, is delivered once more after such a
   *     wait
   * @param replayRate the probability that an acknowledgement (MsgAppResp or MsgHeartbeatResp) a
   *     node received is delivered to it once more when it next becomes leader, in a later term: a
   *     transport that redelivers old messages after reconnecting, at the worst moment. Each node
   *     keeps at most {@link #REPLAY_MAX} of them; their draws come from a source of their own, so
   *     a run without replays draws as it did before they existed
   */
  public record NetworkParams(
      double dropRate,
      double dupRate,
      int maxDelayMicros,
      double spikeRate,
      int spikeMicros,
      double holdRate,
      double echoRate,
      double replayRate) {
    /** The longest wait of a held message, in election timeouts. */
    public static final int HOLD_ELECTION_TIMEOUTS_MAX = 4;

    /** The most acknowledgements a node keeps for a replay. */
    public static final int REPLAY_MAX = 8;

    /** A copy with these rates of held and echoed messages. */
    public NetworkParams withLateMessages(double holdRate, double echoRate) {
      return new NetworkParams(
          dropRate,
          dupRate,
          maxDelayMicros,
          spikeRate,
          spikeMicros,
          holdRate,
          echoRate,
          replayRate);
    }

    /** A copy with this rate of acknowledgements replayed to a node that leads again. */
    public NetworkParams withReplayRate(double replayRate) {
      return new NetworkParams(
          dropRate,
          dupRate,
          maxDelayMicros,
          spikeRate,
          spikeMicros,
          holdRate,
          echoRate,
          replayRate);
    }

    /** A copy whose delays are bounded: no spikes, no held, echoed or replayed messages. */
    public NetworkParams bounded() {
      return new NetworkParams(dropRate, dupRate, maxDelayMicros, 0, spikeMicros, 0, 0, 0);
    }
  }

  /**
   * Partitions, crashes and pauses during the chaos phase.
   *
   * @param partitionRate the probability of a new partition (split, one-way cut or isolation)
   * @param healRate the probability that every cut link heals
   * @param crashRate the probability that a running node crashes
   * @param pauseRate the probability that a running node pauses
   * @param crashInReadyRate per Ready: the probability of a crash between its writes and fsync
   * @param tornRate the probability that a crash keeps a prefix of the unsynced writes
   * @param chaosTicks how long the chaos phase lasts
   */
  public record FaultParams(
      double partitionRate,
      double healRate,
      double crashRate,
      double pauseRate,
      double crashInReadyRate,
      double tornRate,
      int chaosTicks) {
    /** A copy with this rate of new partitions. */
    public FaultParams withPartitionRate(double rate) {
      return new FaultParams(
          rate, healRate, crashRate, pauseRate, crashInReadyRate, tornRate, chaosTicks);
    }

    /** A copy without process pauses (a paused process is a clock that stopped). */
    public FaultParams withoutPauses() {
      return new FaultParams(
          partitionRate, healRate, crashRate, 0, crashInReadyRate, tornRate, chaosTicks);
    }
  }

  /**
   * What the clients do during the chaos phase.
   *
   * @param proposeRate the probability of a new proposal
   * @param readRate the probability of a new ReadIndex read
   * @param confChangeRate the probability of a membership change
   * @param transferRate the probability of a leadership transfer
   * @param compactRate the probability that a node snapshots and compacts its log
   * @param maxPendingProposals the most proposals in flight at once
   */
  public record LoadParams(
      double proposeRate,
      double readRate,
      double confChangeRate,
      double transferRate,
      double compactRate,
      int maxPendingProposals) {
    /** A copy with these rates of proposals, reads and membership changes. */
    public LoadParams withRates(double proposeRate, double readRate, double confChangeRate) {
      return new LoadParams(
          proposeRate, readRate, confChangeRate, transferRate, compactRate, maxPendingProposals);
    }

    /** A copy with this rate of snapshots and compactions. */
    public LoadParams withCompactRate(double rate) {
      return new LoadParams(
          proposeRate, readRate, confChangeRate, transferRate, rate, maxPendingProposals);
    }
  }

  /**
   * Draws the parameters of run {@code seed} from its random source. Whether the run uses
   * asynchronous storage writes (half the seeds) and their delays come from a second source seeded
   * from {@code seed}, so that the draws of the main source, and the synchronous runs, stay as they
   * were before that mode existed.
   */
  static SimParams draw(long seed, SplittableRandom rng, Storm storm) {
    SplittableRandom storage = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    boolean async = storage.nextBoolean();
    int storageDelay = 5 + storage.nextInt(300);
    // Half the runs' hosts batch their inputs and hold Readies, for up to two ticks.
    int readyDelay = storage.nextBoolean() ? 0 : 1 + storage.nextInt(2 * World.TICK_MICROS);
    ClusterParams cluster = drawCluster(rng, async, storageDelay).withReadyDelay(readyDelay);
    NetworkParams network = drawNetwork(rng);
    FaultParams faults = drawFaults(rng);
    LoadParams load = drawLoad(rng);
    // A quarter of the runs with CheckQuorum read by lease, under the conditions a lease relies on.
    if (cluster.checkQuorum() && storage.nextInt(4) == 0) {
      cluster = cluster.withLeaseReads(true).withTickSkew(0);
      network = network.bounded();
      faults = faults.withoutPauses();
    }
    SimParams p = new SimParams(seed, cluster, network, faults, load, Storm.NONE);
    Storm drawn =
        storage.nextBoolean()
            ? Storm.values()[1 + storage.nextInt(Storm.values().length - 1)]
            : Storm.NONE;
    return p.storming(storm == null ? drawn : storm);
  }

  /**
   * A copy biased toward the rare state of {@code s}: its parameters, and its storm for the faults.
   * Meant for unbiased parameters; to run a seed in a given storm use {@link SimOptions#storm}.
   */
  SimParams storming(Storm s) {
    ClusterParams c = cluster;
    NetworkParams n = network;
    FaultParams f = faults;
    LoadParams l = load;
    switch (s) {
      case FIGURE_8 -> {
        // Five voters, one entry per message and few in flight: replication lags, so tails sit
        // uncommitted on a few nodes when their leader falls.
        c =
            c.withNodes(5, 5)
                .withReplicationLimits(1, 4, 256)
                .withAsyncWrites(false)
                .withReadyDelay(0);
        l = l.withRates(Math.max(l.proposeRate(), 0.3), l.readRate(), l.confChangeRate() / 4);
        if (!c.leaseReads()) {
          n = n.withLateMessages(Math.max(n.holdRate(), 0.02), n.echoRate()).withReplayRate(0.3);
        }
      }
      case JOINT -> {
        // Joint swaps often, with slow replication so that each half's quorum holds another tail.
        c = c.withReplicationLimits(256, 2, 512);
        l = l.withRates(l.proposeRate(), l.readRate(), 0.08);
      }
      case SNAPSHOTS -> {
        l = l.withCompactRate(0.2);
        f = f.withPartitionRate(Math.max(f.partitionRate(), 0.02));
      }
      case LATE_MESSAGES -> {
        // Three nodes without CheckQuorum, so that a leader cut off keeps leading and serving, and
        // many reads and partitions: late acknowledgements and requests meet deposed leaders.
        if (!c.leaseReads()) {
          c = c.withNodes(3, 3).withPreVoteAndCheckQuorum(c.preVote(), false);
          n = n.withLateMessages(0.05, 0.5).withReplayRate(0.1);
          l = l.withRates(l.proposeRate(), Math.max(l.readRate(), 0.3), l.confChangeRate());
          f = f.withPartitionRate(Math.max(f.partitionRate(), 0.03));
        }
      }
      case NONE -> {}
    }
    return new SimParams(seed, c, n, f, l, s);
  }

  private static ClusterParams drawCluster(SplittableRandom rng, boolean async, int storageDelay) {
    int nodes = 3 + rng.nextInt(5);
    int voters = 3 + rng.nextInt(nodes - 2);
    long maxMsg = pick(rng, 256, 1024, 4096, 1L << 20);
    long maxInflightBytes = maxMsg * pick(rng, 1, 4, 64);
    int election = (int) pick(rng, 5, 10, 10, 20);
    return new ClusterParams(
        nodes,
        voters,
        election,
        1 + rng.nextInt(election / 4),
        rng.nextBoolean(),
        rng.nextBoolean(),
        rng.nextBoolean(),
        rng.nextInt(10) == 0,
        maxMsg,
        (int) pick(rng, 1, 2, 4, 16, 256),
        maxInflightBytes,
        pick(rng, 64, 512, 64L << 20),
        pick(rng, 64, 1024, 16L << 20),
        rng.nextBoolean(),
        rng.nextDouble() * 0.1,
        async,
        storageDelay,
        0,
        false);
  }

  private static NetworkParams drawNetwork(SplittableRandom rng) {
    double drop = rng.nextInt(5) == 0 ? 0 : rng.nextDouble() * 0.15;
    return new NetworkParams(
        drop,
        rng.nextDouble() * 0.05,
        5 + rng.nextInt(150),
        rng.nextDouble() * 0.05,
        100 + rng.nextInt(400),
        rng.nextDouble() * 0.01,
        rng.nextDouble() * 0.5,
        0);
  }

  /** A quarter of the runs are stormy: partitions and crashes three times as often. */
  private static FaultParams drawFaults(SplittableRandom rng) {
    double storm = rng.nextInt(4) == 0 ? 3 : 1;
    return new FaultParams(
        storm * rng.nextDouble() * 0.02,
        0.005 + rng.nextDouble() * 0.02,
        storm * rng.nextDouble() * 0.006,
        rng.nextDouble() * 0.006,
        storm * rng.nextDouble() * 0.004,
        rng.nextDouble(),
        150 + rng.nextInt(350));
  }

  private static LoadParams drawLoad(SplittableRandom rng) {
    return new LoadParams(
        0.05 + rng.nextDouble() * 0.4,
        rng.nextDouble() * 0.2,
        rng.nextDouble() * 0.04,
        rng.nextDouble() * 0.01,
        rng.nextDouble() * 0.03,
        64);
  }

  private static long pick(SplittableRandom rng, long... choices) {
    return choices[rng.nextInt(choices.length)];
  }

  /** A copy with another storm (its biases on the other parameters are not undone). */
  public SimParams withStorm(Storm s) {
    return new SimParams(seed, cluster, network, faults, load, s);
  }

  /** A copy with other fault parameters. */
  public SimParams withFaults(FaultParams f) {
    return new SimParams(seed, cluster, network, f, load, storm);
  }

  /** A copy with other network parameters. */
  public SimParams withNetwork(NetworkParams n) {
    return new SimParams(seed, cluster, n, faults, load, storm);
  }

  /** A copy with other cluster parameters. */
  public SimParams withCluster(ClusterParams c) {
    return new SimParams(seed, c, network, faults, load, storm);
  }

  /** A copy with other load parameters. */
  public SimParams withLoad(LoadParams l) {
    return new SimParams(seed, cluster, network, faults, l, storm);
  }
}

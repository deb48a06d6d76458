package io.stepraft.raft;

/**
 * Everything a {@link RawNode} needs to start. Built with {@link #builder()}; {@link
 * Builder#build()} checks every field and names the first bad one in an {@link
 * IllegalArgumentException}.
 *
 * <p>Defaults follow etcd's raft where it has one (CheckQuorum and PreVote are off, reads are
 * {@link ReadOnlyOption#SAFE}); limits that etcd leaves unbounded get a finite default here.
 * Production deployments should turn on {@link Builder#checkQuorum} and {@link Builder#preVote}.
 *
 * <p>Each setter names the field of etcd's {@code raft.Config} it stands for and how etcd's special
 * values map: etcd often uses {@code 0} for "no limit" or "derive it", where stepraft asks for an
 * explicit value ({@link #NO_LIMIT} for none). Sizes are in bytes, times in ticks.
 */
public final class Config {
  /**
   * The value that lifts a byte limit: {@link Long#MAX_VALUE}. It stands for etcd's {@code 0} in
   * {@code MaxUncommittedEntriesSize} and {@code MaxInflightBytes}, and for its {@code
   * math.MaxUint64} in {@code MaxSizePerMsg}.
   */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  /** The default of {@link Builder#maxSizePerMsgBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_SIZE_PER_MSG_BYTES = 1L << 20;

  /** The default of {@link Builder#maxCommittedSizePerReadyBytes}: 16 MiB. */
  public static final long DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES = 16L << 20;

  /** The default of {@link Builder#maxUncommittedEntriesSizeBytes}: 64 MiB. */
  public static final long DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES = 64L << 20;

  /** The default of {@link Builder#maxInflightMsgs}: 256. */
  public static final int DEFAULT_MAX_INFLIGHT_MSGS = 256;

  /** The default of {@link Builder#maxPendingReadIndexRequests}: 4096. */
  public static final int DEFAULT_MAX_PENDING_READ_INDEX_REQUESTS = 4096;

  /** The default of {@link Builder#maxInflightBytes}: 32 MiB. */
  public static final long DEFAULT_MAX_INFLIGHT_BYTES = 32L << 20;

  private final long id;
  private final int electionTicks;
  private final int heartbeatTicks;
  private final Storage storage;
  private final long applied;
  private final long maxSizePerMsgBytes;
  private final long maxCommittedSizePerReadyBytes;
  private final long maxUncommittedEntriesSizeBytes;
  private final int maxInflightMsgs;
  private final long maxInflightBytes;
  private final int maxPendingReadIndexRequests;
  private final boolean checkQuorum;
  private final boolean preVote;
  private final ReadOnlyOption readOnlyOption;
  private final boolean disableProposalForwarding;
  private final boolean stepDownOnRemoval;
  private final boolean disableConfChangeValidation;
  private final boolean asyncStorageWrites;
  private final long randomSeed;
  private final String loggerName;
  private final RaftListener listener;

  private Config(Builder b) {
    id = b.id;
    electionTicks = b.electionTicks;
    heartbeatTicks = b.heartbeatTicks;
    storage = b.storage;
    applied = b.applied;
    maxSizePerMsgBytes = b.maxSizePerMsgBytes;
    maxCommittedSizePerReadyBytes = b.maxCommittedSizePerReadyBytes;
    maxUncommittedEntriesSizeBytes = b.maxUncommittedEntriesSizeBytes;
    maxInflightMsgs = b.maxInflightMsgs;
    maxInflightBytes = b.maxInflightBytes;
    maxPendingReadIndexRequests = b.maxPendingReadIndexRequests;
    checkQuorum = b.checkQuorum;
    preVote = b.preVote;
    readOnlyOption = b.readOnlyOption;
    disableProposalForwarding = b.disableProposalForwarding;
    stepDownOnRemoval = b.stepDownOnRemoval;
    disableConfChangeValidation = b.disableConfChangeValidation;
    asyncStorageWrites = b.asyncStorageWrites;
    randomSeed = b.randomSeed == null ? b.id : b.randomSeed;
    loggerName = b.loggerName;
    listener = b.listener;
  }

  /** A builder with the defaults described on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.electionTicks = electionTicks;
    b.heartbeatTicks = heartbeatTicks;
    b.storage = storage;
    b.applied = applied;
    b.maxSizePerMsgBytes = maxSizePerMsgBytes;
    b.maxCommittedSizePerReadyBytes = maxCommittedSizePerReadyBytes;
    b.maxUncommittedEntriesSizeBytes = maxUncommittedEntriesSizeBytes;
    b.maxInflightMsgs = maxInflightMsgs;
    b.maxInflightBytes = maxInflightBytes;
    b.maxPendingReadIndexRequests = maxPendingReadIndexRequests;
    b.checkQuorum = checkQuorum;
    b.preVote = preVote;
    b.readOnlyOption = readOnlyOption;
    b.disableProposalForwarding = disableProposalForwarding;
    b.stepDownOnRemoval = stepDownOnRemoval;
    b.disableConfChangeValidation = disableConfChangeValidation;
    b.asyncStorageWrites = asyncStorageWrites;
    b.randomSeed = randomSeed;
    b.loggerName = loggerName;
    b.listener = listener;
    return b;
  }

  /** This node's id; never {@code 0}. */
  public long id() {
    return id;
  }

  /** Ticks a follower waits without hearing from a leader before it campaigns. */
  public int electionTicks() {
    return electionTicks;
  }

  /** Ticks between the leader's heartbeats. */
  public int heartbeatTicks() {
    return heartbeatTicks;
  }

  /** The stable log the node reads. */
  public Storage storage() {
    return storage;
  }

  /** The index the host had applied when it restarted the node; {@code 0} for a new node. */
  public long applied() {
    return applied;
  }

  /** The most entry bytes one MsgApp carries (at least one entry is always sent). */
  public long maxSizePerMsgBytes() {
    return maxSizePerMsgBytes;
  }

  /** The most committed-entry bytes one {@link Ready} hands out (at least one entry). */
  public long maxCommittedSizePerReadyBytes() {
    return maxCommittedSizePerReadyBytes;
  }

  /** The most payload bytes the leader lets sit uncommitted before it drops proposals. */
  public long maxUncommittedEntriesSizeBytes() {
    return maxUncommittedEntriesSizeBytes;
  }

  /** The most MsgApp messages in flight to one follower in pipelined replication. */
  public int maxInflightMsgs() {
    return maxInflightMsgs;
  }

  /** The most payload bytes in flight to one follower in pipelined replication. */
  public long maxInflightBytes() {
    return maxInflightBytes;
  }

  /** The most read-only requests the leader holds while it confirms its leadership. */
  public int maxPendingReadIndexRequests() {
    return maxPendingReadIndexRequests;
  }

  /** Whether the leader steps down when a quorum was not active during an election timeout. */
  public boolean checkQuorum() {
    return checkQuorum;
  }

  /** Whether a node asks for pre-votes before it raises its term. */
  public boolean preVote() {
    return preVote;
  }

  /** How read-only requests are confirmed. */
  public ReadOnlyOption readOnlyOption() {
    return readOnlyOption;
  }

  /** Whether followers drop proposals instead of forwarding them to the leader. */
  public boolean disableProposalForwarding() {
    return disableProposalForwarding;
  }

  /** Whether a leader removed from (or demoted in) the configuration steps down. */
  public boolean stepDownOnRemoval() {
    return stepDownOnRemoval;
  }

  /** Whether the leader skips the one-pending-change and joint-state checks on proposals. */
  public boolean disableConfChangeValidation() {
    return disableConfChangeValidation;
  }

  /** Whether storage writes are handed to the host as messages (see the docs on async writes). */
  public boolean asyncStorageWrites() {
    return asyncStorageWrites;
  }

  /** The seed of the election-timeout randomness; the node id unless set. */
  public long randomSeed() {
    return randomSeed;
  }

  /** The slf4j logger name the node logs under. */
  public String loggerName() {
    return loggerName;
  }

  /** The observer of state transitions and messages; {@link RaftListener#NONE} unless set. */
  public RaftListener listener() {
    return listener;
  }

  @Override
  public String toString() {
    return "Config{id="
        + id
        + ", electionTicks="
        + electionTicks
        + ", heartbeatTicks="
        + heartbeatTicks
        + ", applied="
        + applied
        + ", maxSizePerMsgBytes="
        + maxSizePerMsgBytes
        + ", maxCommittedSizePerReadyBytes="
        + maxCommittedSizePerReadyBytes
        + ", maxUncommittedEntriesSizeBytes="
        + maxUncommittedEntriesSizeBytes
        + ", maxInflightMsgs="
        + maxInflightMsgs
        + ", maxInflightBytes="
        + maxInflightBytes
        + ", maxPendingReadIndexRequests="
        + maxPendingReadIndexRequests
        + ", checkQuorum="
        + checkQuorum
        + ", preVote="
        + preVote
        + ", readOnlyOption="
        + readOnlyOption
        + ", disableProposalForwarding="
        + disableProposalForwarding
        + ", stepDownOnRemoval="
        + stepDownOnRemoval
        + ", disableConfChangeValidation="
        + disableConfChangeValidation
        + ", asyncStorageWrites="
        + asyncStorageWrites
        + ", randomSeed="
        + randomSeed
        + "}";
  }

  /** Collects and validates the fields of a {@link Config}. Not thread-safe. */
  public static final class Builder {
    private long id;
    private int electionTicks = 10;
    private int heartbeatTicks = 1;
    private Storage storage;
    private long applied;
    private long maxSizePerMsgBytes = DEFAULT_MAX_SIZE_PER_MSG_BYTES;
    private long maxCommittedSizePerReadyBytes = DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES;
    private long maxUncommittedEntriesSizeBytes = DEFAULT_MAX_UNCOMMITTED_ENTRIES_SIZE_BYTES;
    private int maxInflightMsgs = DEFAULT_MAX_INFLIGHT_MSGS;
    private long maxInflightBytes = DEFAULT_MAX_INFLIGHT_BYTES;
    private int maxPendingReadIndexRequests = DEFAULT_MAX_PENDING_READ_INDEX_REQUESTS;
    private boolean checkQuorum;
    private boolean preVote;
    private ReadOnlyOption readOnlyOption = ReadOnlyOption.SAFE;
    private boolean disableProposalForwarding;
    private boolean stepDownOnRemoval;
    private boolean disableConfChangeValidation;
    private boolean asyncStorageWrites;
    private Long randomSeed;
    private String loggerName = "io.stepraft.raft";
    private RaftListener listener = RaftListener.NONE;

    private Builder() {}

    /**
     * This node's id; required. Ids are unsigned 64-bit numbers on the wire; three are reserved:
     * {@code 0} (no node) and {@code -1}, {@code -2} (etcd's {@code math.MaxUint64} and {@code
     * math.MaxUint64 - 1}), which address the host's storage threads with {@link
     * #asyncStorageWrites}. etcd: {@code ID}, with the same reserved values.
     */
    public Builder id(long id) {
      this.id = id;
      return this;
    }

    /**
     * Ticks a follower waits without hearing from a leader before it campaigns; the actual timeout
     * is drawn from {@code [electionTicks, 2 * electionTicks)}. Must exceed {@link
     * #heartbeatTicks}; ten times it is a good choice. At most 2<sup>30</sup>. Default 10. etcd:
     * {@code ElectionTick}, which has no default.
     */
    public Builder electionTicks(int electionTicks) {
      this.electionTicks = electionTicks;
      return this;
    }

    /**
     * Ticks between the leader's heartbeats; at least 1. Default 1. etcd: {@code HeartbeatTick},
     * which has no default.
     */
    public Builder heartbeatTicks(int heartbeatTicks) {
      this.heartbeatTicks = heartbeatTicks;
      return this;
    }

    /**
     * The stable log; required. A restarted node reads its state and configuration from it. etcd:
     * {@code Storage}.
     */
    public Builder storage(Storage storage) {
      this.storage = storage;
      return this;
    }

    /**
     * The last index the host applied before a restart, so that committed entries are not handed
     * out again; {@code 0} (the default) for a new node. It may exceed the stored commit index
     * (which is written without sync), but not the stored log's last index. Configuration changes
     * up to this index are not handed out again, so the storage's configuration ({@link
     * Storage#initialState()}) must already include them: a snapshot at this index, say. etcd:
     * {@code Applied}, which panics instead when it exceeds the stored commit index.
     */
    public Builder applied(long applied) {
      this.applied = applied;
      return this;
    }

    /**
     * The most bytes of entries, by serialized size, in one MsgApp; a single larger entry is still
     * sent. Positive. Default 1 MiB. etcd: {@code MaxSizePerMsg}, which has no default; its {@code
     * 0} (one entry per message) is {@code 1} here, since every entry is larger than one byte, and
     * its {@code math.MaxUint64} (no limit) is {@link Config#NO_LIMIT}.
     */
    public Builder maxSizePerMsgBytes(long bytes) {
      this.maxSizePerMsgBytes = bytes;
      return this;
    }

    /**
     * The most bytes of committed entries, by serialized size, handed to the host for applying and
     * not yet applied: with synchronous writes, the committed entries of one {@link Ready}; with
     * {@link #asyncStorageWrites}, those of the MsgStorageApply messages not yet answered. At least
     * one entry is always handed out. Positive. Default 16 MiB. etcd: {@code
     * MaxCommittedSizePerReady}, whose {@code 0} takes the value of {@code MaxSizePerMsg}; here the
     * two are set independently (pass the same value for etcd's behaviour, {@link Config#NO_LIMIT}
     * for none).
     */
    public Builder maxCommittedSizePerReadyBytes(long bytes) {
      this.maxCommittedSizePerReadyBytes = bytes;
      return this;
    }

    /**
     * The most payload bytes (entry data only) the leader keeps uncommitted; further proposals are
     * dropped with {@link ProposalDroppedException.Reason#UNCOMMITTED_LIMIT}. An empty entry is
     * never refused, and a single proposal into an empty uncommitted tail always fits. Positive.
     * Default 64 MiB. etcd: {@code MaxUncommittedEntriesSize}, whose {@code 0} (no limit) is {@link
     * Config#NO_LIMIT} here.
     */
    public Builder maxUncommittedEntriesSizeBytes(long bytes) {
      this.maxUncommittedEntriesSizeBytes = bytes;
      return this;
    }

    /**
     * The most MsgApp messages in flight to one follower in pipelined replication; at least 1.
     * Default 256. etcd: {@code MaxInflightMsgs}, which has no default and also must be positive.
     */
    public Builder maxInflightMsgs(int count) {
      this.maxInflightMsgs = count;
      return this;
    }

    /**
     * The most payload bytes (entry data only) in flight to one follower; at least {@link
     * #maxSizePerMsgBytes} so that one full message always fits. Default 32 MiB. etcd: {@code
     * MaxInflightBytes}, whose {@code 0} (no limit) is {@link Config#NO_LIMIT} here.
     */
    public Builder maxInflightBytes(long bytes) {
      this.maxInflightBytes = bytes;
      return this;
    }

    /**
     * The most read-only requests the leader holds while it waits for a quorum to confirm its
     * leadership; beyond it, a local request is refused with {@link ReadIndexDroppedException} and
     * a forwarded one is dropped (its node times it out). At least 1. Default 4096. etcd has no
     * such bound.
     */
    public Builder maxPendingReadIndexRequests(int count) {
      this.maxPendingReadIndexRequests = count;
      return this;
    }

    /**
     * Whether the leader checks every election timeout that a quorum is active, and steps down if
     * not. Default off. etcd: {@code CheckQuorum}.
     */
    public Builder checkQuorum(boolean checkQuorum) {
      this.checkQuorum = checkQuorum;
      return this;
    }

    /**
     * Whether to run a pre-vote round before raising the term. Default off. etcd: {@code PreVote}.
     */
    public Builder preVote(boolean preVote) {
      this.preVote = preVote;
      return this;
    }

    /**
     * How reads are confirmed; {@link ReadOnlyOption#LEASE_BASED} needs checkQuorum. Default {@link
     * ReadOnlyOption#SAFE}. etcd: {@code ReadOnlyOption} ({@code ReadOnlySafe}, {@code
     * ReadOnlyLeaseBased}).
     */
    public Builder readOnlyOption(ReadOnlyOption option) {
      this.readOnlyOption = option;
      return this;
    }

    /**
     * Drop proposals on followers instead of forwarding them to the leader. Default off. etcd:
     * {@code DisableProposalForwarding}.
     */
    public Builder disableProposalForwarding(boolean disable) {
      this.disableProposalForwarding = disable;
      return this;
    }

    /**
     * Make a leader that removed or demoted itself step down. Default off. etcd: {@code
     * StepDownOnRemoval}.
     */
    public Builder stepDownOnRemoval(boolean stepDown) {
      this.stepDownOnRemoval = stepDown;
      return this;
    }

    /**
     * Skip the leader's checks of proposed configuration changes (one pending change; joint
     * transitions in order). Only for hosts that validate changes themselves. Default off. etcd:
     * {@code DisableConfChangeValidation}.
     */
    public Builder disableConfChangeValidation(boolean disable) {
      this.disableConfChangeValidation = disable;
      return this;
    }

    /**
     * Hand storage writes to the host as messages, so that persisting and applying can run on other
     * threads while the node keeps stepping: each {@link Ready} then carries a MsgStorageAppend and
     * a MsgStorageApply message whose responses the host steps back in once the work is done, and
     * {@link RawNode#advance} is not used. Default off. etcd: {@code AsyncStorageWrites}.
     */
    public Builder asyncStorageWrites(boolean async) {
      this.asyncStorageWrites = async;
      return this;
    }

    /**
     * The seed of the election-timeout randomness. Defaults to the node id. etcd has none: it draws
     * timeouts from a process-wide random source.
     */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /** The slf4j logger name; default {@code io.stepraft.raft}. etcd: {@code Logger}. */
    public Builder loggerName(String loggerName) {
      this.loggerName = loggerName;
      return this;
    }

    /**
     * An observer of state transitions and messages (tests, tracing, metrics). Default none. etcd's
     * {@code TraceLogger} is the nearest equivalent.
     */
    public Builder listener(RaftListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public Config build() {
      check(id != 0, "id must not be 0");
      check(
          id != Raft.LOCAL_APPEND_THREAD && id != Raft.LOCAL_APPLY_THREAD,
          "id " + Long.toUnsignedString(id) + " is reserved for the local storage threads");
      check(heartbeatTicks > 0, "heartbeatTicks must be greater than 0, was " + heartbeatTicks);
      check(
          electionTicks > heartbeatTicks,
          "electionTicks must be greater than heartbeatTicks, was "
              + electionTicks
              + " <= "
              + heartbeatTicks);
      check(electionTicks <= (1 << 30), "electionTicks is too large: " + electionTicks);
      check(storage != null, "storage must not be null");
      check(applied >= 0, "applied must not be negative, was " + applied);
      check(
          maxSizePerMsgBytes > 0, "maxSizePerMsgBytes must be positive, was " + maxSizePerMsgBytes);
      check(
          maxCommittedSizePerReadyBytes > 0,
          "maxCommittedSizePerReadyBytes must be positive, was " + maxCommittedSizePerReadyBytes);
      check(
          maxUncommittedEntriesSizeBytes > 0,
          "maxUncommittedEntriesSizeBytes must be positive, was " + maxUncommittedEntriesSizeBytes);
      check(maxInflightMsgs > 0, "maxInflightMsgs must be greater than 0, was " + maxInflightMsgs);
      check(
          maxInflightBytes >= maxSizePerMsgBytes,
          "maxInflightBytes must be >= maxSizePerMsgBytes, was "
              + maxInflightBytes
              + " < "
              + maxSizePerMsgBytes);
      check(
          maxPendingReadIndexRequests > 0,
          "maxPendingReadIndexRequests must be greater than 0, was " + maxPendingReadIndexRequests);
      check(readOnlyOption != null, "readOnlyOption must not be null");
      check(
          readOnlyOption != ReadOnlyOption.LEASE_BASED || checkQuorum,
          "readOnlyOption LEASE_BASED requires checkQuorum");
      check(loggerName != null && !loggerName.isEmpty(), "loggerName must not be empty");
      check(listener != null, "listener must not be null (use RaftListener.NONE)");
      return new Config(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("invalid raft config: " + message);
      }
    }
  }
}

package io.stepraft.raft.tracker;

/**
 * The leader's view of one follower (or learner): how much of the log it is known to hold, what to
 * send it next, and how replication to it is currently paced.
 *
 * <p>In {@link State#PROBE} the leader sends one append at a time and waits for the answer to learn
 * where the logs match. In {@link State#REPLICATE} it streams appends optimistically, bounded by
 * {@link #inflights()}. In {@link State#SNAPSHOT} it has sent a snapshot and sends nothing else
 * until the follower reports back. The transitions are drawn on the API's {@code
 * io.stepraft.raft.ProgressState}, which reports these states to users.
 *
 * <p>Not thread-safe.
 */
public final class Progress {
  /** How the leader replicates to the follower; see the class comment. */
  public enum State {
    /** One append at a time until the leader learns where the logs match. */
    PROBE,
    /** Appends streamed optimistically, bounded by the inflight window. */
    REPLICATE,
    /** A snapshot was sent; nothing else until the follower reports back. */
    SNAPSHOT
  }

  // Invariant: 0 <= match < next.
  /** The highest index known to be replicated on the follower. */
  long match;

  /** The index of the next entry to send. */
  long next;

  State state = State.PROBE;

  /** In SNAPSHOT, the index of the snapshot sent; 0 otherwise. */
  long pendingSnapshot;

  /** Whether the follower was heard from since the last check-quorum round. */
  boolean recentActive;

  /** Whether sending appends is paused (a probe is outstanding, or the window is full). */
  boolean msgAppFlowPaused;

  final Inflights inflights;
  boolean isLearner;

  /** The highest commit index sent to the follower. Invariant: sentCommit <= next - 1 in use. */
  long sentCommit;

  /**
   * Creates a progress in {@link State#PROBE}.
   *
   * @param next the index of the next entry to send
   * @param match the highest index known to be on the follower; {@code 0 <= match < next}
   * @param maxInflight the most appends in flight in REPLICATE, at least 1
   * @param maxInflightBytes the most payload bytes in flight, 0 for no limit
   * @param isLearner whether the peer is a learner
   */
  public Progress(
      long next, long match, int maxInflight, long maxInflightBytes, boolean isLearner) {
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
    this.match = match;
    this.next = next;
    this.isLearner = isLearner;
    checkInvariant();
  }

  private Progress(Progress other) {
    this.match = other.match;
    this.next = other.next;
    this.state = other.state;
    this.pendingSnapshot = other.pendingSnapshot;
    this.recentActive = other.recentActive;
    this.msgAppFlowPaused = other.msgAppFlowPaused;
    this.inflights = other.inflights.copy();
    this.isLearner = other.isLearner;
    this.sentCommit = other.sentCommit;
  }

  private void checkInvariant() {
    if (match < 0 || match >= next) {
      throw new IllegalStateException(
          "progress invariant 0 <= match < next broken: match " + match + ", next " + next);
    }
  }

  /**
   * Returns the highest index known to be replicated on the follower.
   *
   * @return the match index
   */
  public long match() {
    return match;
  }

  /**
   * Returns the index of the next entry to send.
   *
   * @return the next index
   */
  public long next() {
    return next;
  }

  /**
   * Sets the match index, e.g. for the leader itself when it is elected or restores a snapshot.
   *
   * @param match the new match index; must stay below {@link #next()}
   * @throws IllegalStateException if {@code 0 <= match < next} would not hold
   */
  public void setMatch(long match) {
    this.match = match;
    checkInvariant();
  }

  /**
   * Sets the next index, e.g. when the leader is elected or restores a snapshot.
   *
   * @param next the new next index; must stay above {@link #match()}
   * @throws IllegalStateException if {@code 0 <= match < next} would not hold
   */
  public void setNext(long next) {
    this.next = next;
    checkInvariant();
  }

  /**
   * Returns how replication to this follower is paced.
   *
   * @return the state
   */
  public State state() {
    return state;
  }

  /**
   * Returns the index of the snapshot in flight.
   *
   * @return the snapshot index in {@link State#SNAPSHOT}, 0 otherwise
   */
  public long pendingSnapshot() {
    return pendingSnapshot;
  }

  /**
   * Tells whether the follower was heard from recently (since the last check-quorum round).
   *
   * @return true when recently active
   */
  public boolean recentActive() {
    return recentActive;
  }

  /**
   * Sets whether the follower was heard from recently.
   *
   * @param recentActive true when a message from the follower arrived
   */
  public void setRecentActive(boolean recentActive) {
    this.recentActive = recentActive;
  }

  /**
   * Tells whether the flow of appends is paused: a probe is outstanding (PROBE) or the inflight
   * window is full (REPLICATE).
   *
   * @return true when paused
   */
  public boolean msgAppFlowPaused() {
    return msgAppFlowPaused;
  }

  /**
   * Pauses or resumes the flow of appends; a heartbeat response resumes it, for example.
   *
   * @param paused true to pause
   */
  public void setMsgAppFlowPaused(boolean paused) {
    this.msgAppFlowPaused = paused;
  }

  /**
   * Returns the window of appends in flight (live, not a copy).
   *
   * @return the inflights
   */
  public Inflights inflights() {
    return inflights;
  }

  /**
   * Tells whether the peer is a learner.
   *
   * @return true for a learner
   */
  public boolean isLearner() {
    return isLearner;
  }

  /**
   * Marks the peer as a learner or a voter.
   *
   * @param learner true for a learner
   */
  public void setLearner(boolean learner) {
    this.isLearner = learner;
  }

  /**
   * Returns the highest commit index sent to the follower.
   *
   * @return the sent commit index
   */
  public long sentCommit() {
    return sentCommit;
  }

  /**
   * Starts the progress afresh for a new term: PROBE from {@code next}, nothing in flight,
   * inactive, no commit sent. The learner flag is kept.
   *
   * @param next the index of the next entry to send
   * @param match the highest index known replicated (the leader's own last index, else 0)
   */
  public void resetForNewTerm(long next, long match) {
    resetState(State.PROBE);
    this.next = next;
    this.match = match;
    recentActive = false;
    sentCommit = 0;
    checkInvariant();
  }

  /**
   * Forgets the snapshot being sent, so that a following {@link #becomeProbe()} probes after match.
   */
  public void clearPendingSnapshot() {
    pendingSnapshot = 0;
  }

  /** Moves to PROBE: the leader sends one append and waits to learn where the logs match. */
  public void becomeProbe() {
    if (state == State.SNAPSHOT) {
      // The snapshot may have been applied: probe right after it, never before match.
      long snapshot = pendingSnapshot;
      resetState(State.PROBE);
      next = Math.max(match + 1, snapshot + 1);
    } else {
      resetState(State.PROBE);
      next = match + 1;
    }
    sentCommit = Math.min(sentCommit, next - 1);
  }

  /** Moves to REPLICATE: the leader streams appends right after the match index. */
  public void becomeReplicate() {
    resetState(State.REPLICATE);
    next = match + 1;
  }

  /**
   * Moves to SNAPSHOT: the leader has sent the snapshot at {@code snapshotIndex}.
   *
   * @param snapshotIndex the index of the snapshot sent; at least {@link #match()}
   * @throws IllegalStateException if the snapshot is behind the match index
   */
  public void becomeSnapshot(long snapshotIndex) {
    if (snapshotIndex < match) {
      throw new IllegalStateException(
          "snapshot index " + snapshotIndex + " is behind match " + match);
    }
    resetState(State.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
    next = snapshotIndex + 1;
    sentCommit = snapshotIndex;
  }

  private void resetState(State newState) {
    state = newState;
    msgAppFlowPaused = false;
    pendingSnapshot = 0;
    inflights.reset();
  }

  /**
   * Accounts for an append just sent, carrying {@code entries} entries of {@code bytes} payload
   * bytes. In REPLICATE the entries are assumed delivered: next advances, the append joins the
   * inflight window, and the flow pauses when the window is full. In PROBE, an append with entries
   * pauses the flow until the follower answers.
   *
   * @param entries the number of entries sent, possibly 0
   * @param bytes their payload size
   * @throws IllegalStateException in SNAPSHOT, where no append may be sent
   */
  public void sentEntries(int entries, long bytes) {
    if (entries < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "entries " + entries + " and bytes " + bytes + " must not be negative");
    }
    switch (state) {
      case REPLICATE -> {
        if (entries > 0) {
          next += entries;
          inflights.add(next - 1, bytes);
        }
        msgAppFlowPaused = inflights.full();
      }
      case PROBE -> {
        if (entries > 0) {
          msgAppFlowPaused = true;
        }
      }
      default -> throw new IllegalStateException("sending append in unhandled state " + state);
    }
  }

  /**
   * Tells whether sending the commit index {@code index} could advance the follower's commit: it
   * exceeds what was sent before, and the follower may hold entries beyond what was sent before.
   *
   * @param index the leader's commit index
   * @return true when worth sending
   */
  public boolean canBumpCommit(long index) {
    return index > sentCommit && sentCommit < next - 1;
  }

  /**
   * Records that the commit index {@code commit} was sent to the follower.
   *
   * @param commit the commit index sent
   */
  public void sentCommit(long commit) {
    this.sentCommit = commit;
  }

  /**
   * Handles an acknowledgement of index {@code n}: raises match (resuming the flow) and next if
   * they are behind.
   *
   * @param n the index the follower acknowledged
   * @return true when match advanced; false for a stale acknowledgement
   */
  public boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      msgAppFlowPaused = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /**
   * Handles a rejected append whose previous entry was at index {@code rejected}; the follower
   * hinted that its log may match up to {@code matchHint}. Moves next back, unless the rejection is
   * stale (in REPLICATE: at or below match; otherwise: not the append just probed).
   *
   * @param rejected the index of the previous entry of the rejected append
   * @param matchHint the follower's hint of the highest index where the logs may match
   * @return true when next moved back; false for a stale rejection
   */
  public boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      sentCommit = Math.min(sentCommit, next - 1);
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    sentCommit = Math.min(sentCommit, next - 1);
    msgAppFlowPaused = false;
    return true;
  }

  /**
   * Tells whether the leader should hold back appends to this follower: always in SNAPSHOT, and
   * while the flow is paused in PROBE and REPLICATE. Heartbeats are sent regardless.
   *
   * @return true when paused
   */
  public boolean isPaused() {
    return switch (state) {
      case PROBE, REPLICATE -> msgAppFlowPaused;
      case SNAPSHOT -> true;
    };
  }

  /**
   * Returns an independent copy, inflights included, for status snapshots.
   *
   * @return a deep copy
   */
  public Progress copy() {
    return new Progress(this);
  }

  /**
   * Describes the progress, e.g. {@code StateReplicate match=5 next=6 paused inflight=2[full]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(stateName(state));
    sb.append(" match=").append(match).append(" next=").append(next);
    if (isLearner) {
      sb.append(" learner");
    }
    if (isPaused()) {
      sb.append(" paused");
    }
    if (pendingSnapshot > 0) {
      sb.append(" pendingSnap=").append(pendingSnapshot);
    }
    if (!recentActive) {
      sb.append(" inactive");
    }
    if (inflights.count() > 0) {
      sb.append(" inflight=").append(inflights.count());
      if (inflights.full()) {
        sb.append("[full]");
      }
    }
    return sb.toString();
  }

  private static String stateName(State state) {
    return switch (state) {
      case PROBE -> "StateProbe";
      case REPLICATE -> "StateReplicate";
      case SNAPSHOT -> "StateSnapshot";
    };
  }
}

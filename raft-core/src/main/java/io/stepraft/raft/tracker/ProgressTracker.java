package io.stepraft.raft.tracker;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.quorum.AckedIndexer;
import io.stepraft.raft.quorum.JointConfig;
import io.stepraft.raft.quorum.MajorityConfig;
import io.stepraft.raft.quorum.VoteResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's bookkeeping of the cluster: the active configuration (voters, learners, and the
 * learners to be made once a joint configuration is left), the {@link Progress} of every peer, and
 * the votes of the current election.
 *
 * <p>Progress is kept in a {@link TreeMap}, so every iteration is in ascending id order and runs
 * are deterministic, and mirrored in two arrays in the same order for the leader's hot path:
 * lookups by binary search and visits by index, without boxing the id or making an iterator. Not
 * thread-safe.
 */
public final class ProgressTracker {
  /**
   * The outcome of {@link #tallyVotes()}.
   *
   * @param granted the number of voters that granted their vote
   * @param rejected the number of voters that rejected
   * @param result whether the election is won, lost or still pending
   */
  public record TallyResult(int granted, int rejected, VoteResult result) {}

  /** What {@link #visit} calls with each tracked peer. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * Visits one peer.
     *
     * @param id the peer id
     * @param pr its progress (live)
     */
    void accept(long id, Progress pr);
  }

  /** Up to this many peers, {@link #progress(long)} scans the ids instead of bisecting them. */
  private static final int LINEAR_SEARCH_MAX = 8;

  private final int maxInflight;
  private final long maxInflightBytes;

  private JointConfig voters = JointConfig.EMPTY;
  private SortedSet<Long> learners = Collections.emptySortedSet();
  private SortedSet<Long> learnersNext = Collections.emptySortedSet();
  private boolean autoLeave;

  private final TreeMap<Long, Progress> progress = new TreeMap<>();

  // Invariant: ids and prs hold the keys and values of progress, in ascending id order; they are
  // replaced (never changed in place) whenever progress changes.
  private long[] ids = new long[0];
  private Progress[] prs = new Progress[0];
  private final Map<Long, Boolean> votes = new HashMap<>();

  /** Looks up a peer's match index for the commit computation; a field so it is not reallocated. */
  private final AckedIndexer matchIndexer = this::matchOf;

  /**
   * Creates a tracker with an empty configuration and no progress.
   *
   * @param maxInflight the inflight window size that progress of this cluster uses, at least 1
   * @param maxInflightBytes the inflight byte limit that progress of this cluster uses, 0 for none
   */
  public ProgressTracker(int maxInflight, long maxInflightBytes) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight " + maxInflight + " must be at least 1");
    }
    if (maxInflightBytes < 0) {
      throw new IllegalArgumentException(
          "maxInflightBytes " + maxInflightBytes + " must not be negative");
    }
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
  }

  /**
   * Returns the voters: the incoming and, while joint, the outgoing majority configuration.
   *
   * @return the voters
   */
  public JointConfig voters() {
    return voters;
  }

  /**
   * Returns the learners: peers that receive the log but never vote.
   *
   * @return an unmodifiable view in ascending order; copy it before changing it
   */
  public SortedSet<Long> learners() {
    return learners;
  }

  /**
   * Returns the outgoing voters that become learners when the joint configuration is left.
   *
   * @return an unmodifiable view in ascending order; empty when not joint
   */
  public SortedSet<Long> learnersNext() {
    return learnersNext;
  }

  /**
   * Tells whether the joint configuration is left automatically once it is committed.
   *
   * @return the auto-leave flag; only ever true while joint
   */
  public boolean autoLeave() {
    return autoLeave;
  }

  /**
   * Installs a configuration; the sets are copied. The progress map is not touched.
   *
   * @param voters the voters
   * @param learners the learners; none may be a voter in either half
   * @param learnersNext outgoing voters to demote to learners on leaving the joint configuration;
   *     each must be an outgoing voter and not an incoming one
   * @param autoLeave whether to leave the joint configuration automatically; requires joint voters
   * @throws IllegalStateException if the configuration breaks one of these rules
   */
  public void setConfig(
      JointConfig voters,
      SortedSet<Long> learners,
      SortedSet<Long> learnersNext,
      boolean autoLeave) {
    if (voters == null || learners == null || learnersNext == null) {
      throw new IllegalArgumentException(
          "null configuration part: voters "
              + voters
              + ", learners "
              + learners
              + ", learnersNext "
              + learnersNext);
    }
    ConfigValidator.check(voters, learners, learnersNext, autoLeave);
    this.voters = voters;
    this.learners = Collections.unmodifiableSortedSet(copyOf(learners));
    this.learnersNext = Collections.unmodifiableSortedSet(copyOf(learnersNext));
    this.autoLeave = autoLeave;
  }

  private static SortedSet<Long> copyOf(SortedSet<Long> ids) {
    SortedSet<Long> copy = new TreeSet<>(); // natural order, whatever the argument's comparator
    copy.addAll(ids);
    return copy;
  }

  /**
   * Returns the progress of a peer.
   *
   * @param id the peer id
   * @return its progress (live), or null when the peer is not tracked
   */
  public Progress progress(long id) {
    long[] a = ids;
    if (a.length <= LINEAR_SEARCH_MAX) {
      for (int i = 0; i < a.length; i++) {
        if (a[i] == id) {
          return prs[i];
        }
      }
      return null;
    }
    int i = Arrays.binarySearch(a, id);
    return i >= 0 ? prs[i] : null;
  }

  /**
   * Returns how many peers are tracked.
   *
   * @return the number of peers with progress
   */
  public int size() {
    return ids.length;
  }

  /**
   * Returns the id of the {@code i}-th tracked peer in ascending id order.
   *
   * @param i the position, {@code 0 <= i < size()}
   * @return the peer id
   */
  public long idAt(int i) {
    return ids[i];
  }

  /**
   * Returns the progress of the {@code i}-th tracked peer in ascending id order.
   *
   * @param i the position, {@code 0 <= i < size()}
   * @return its progress (live)
   */
  public Progress progressAt(int i) {
    return prs[i];
  }

  /** Rebuilds the arrays from the map after a change. */
  private void mirror() {
    long[] newIds = new long[progress.size()];
    Progress[] newPrs = new Progress[newIds.length];
    int i = 0;
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      newIds[i] = e.getKey();
      newPrs[i] = e.getValue();
      i++;
    }
    ids = newIds;
    prs = newPrs;
  }

  /**
   * Tracks (or replaces) the progress of a peer.
   *
   * @param id the peer id
   * @param p its progress
   */
  public void putProgress(long id, Progress p) {
    if (p == null) {
      throw new IllegalArgumentException("null progress for peer " + id);
    }
    progress.put(id, p);
    mirror();
  }

  /**
   * Stops tracking a peer; does nothing if it is not tracked.
   *
   * @param id the peer id
   */
  public void removeProgress(long id) {
    progress.remove(id);
    mirror();
  }

  /**
   * Replaces every tracked progress with those of {@code replacement} (a configuration change's
   * result).
   *
   * @param replacement the new progress per peer
   */
  public void replaceProgress(Map<Long, Progress> replacement) {
    progress.clear();
    progress.putAll(replacement);
    mirror();
  }

  /**
   * Returns the progress map, ordered by id, for configuration changes; change it through {@link
   * #putProgress}, {@link #removeProgress} and {@link #replaceProgress}.
   *
   * @return an unmodifiable live view, not a copy
   */
  public Map<Long, Progress> progressMap() {
    return Collections.unmodifiableMap(progress);
  }

  /**
   * Returns the inflight window size for new progress.
   *
   * @return the most appends in flight per peer
   */
  public int maxInflight() {
    return maxInflight;
  }

  /**
   * Returns the inflight byte limit for new progress.
   *
   * @return the most payload bytes in flight per peer, 0 for no limit
   */
  public long maxInflightBytes() {
    return maxInflightBytes;
  }

  /**
   * Calls {@code f} with every tracked peer in ascending id order. {@code f} must not add or remove
   * progress.
   *
   * @param f the visitor
   */
  public void visit(Visitor f) {
    long[] visitIds = ids;
    Progress[] visitPrs = prs;
    for (int i = 0; i < visitIds.length; i++) {
      f.accept(visitIds[i], visitPrs[i]);
    }
  }

  /**
   * Tells whether a quorum of voters was recently active; learners are ignored.
   *
   * @return true when the voters marked {@link Progress#recentActive()} would win a vote in both
   *     halves (the same as a {@link JointConfig#voteResult} over their activity)
   */
  public boolean quorumActive() {
    return activeQuorum(voters.incoming()) && activeQuorum(voters.outgoing());
  }

  /** Whether a majority of {@code config} is recently active; true for an empty config. */
  private boolean activeQuorum(MajorityConfig config) {
    int active = 0;
    for (int i = 0; i < config.size(); i++) {
      Progress p = progress(config.idAt(i));
      if (p != null && !p.isLearner && p.recentActive) {
        active++;
      }
    }
    return active >= config.quorum();
  }

  /**
   * Returns the voters of either half.
   *
   * @return a new list in ascending order
   */
  public List<Long> voterNodes() {
    return new ArrayList<>(voters.ids());
  }

  /**
   * Returns the learners.
   *
   * @return a new list in ascending order
   */
  public List<Long> learnerNodes() {
    return new ArrayList<>(learners);
  }

  /**
   * Returns the largest index that a majority of each voter half has replicated (by match index;
   * learners never count). Does not allocate.
   *
   * @return the quorum's match index, {@link Long#MAX_VALUE} when there are no voters
   */
  public long committed() {
    return voters.committedIndex(matchIndexer);
  }

  private long matchOf(long id) {
    Progress p = progress(id);
    return p == null ? 0 : p.match;
  }

  /**
   * Tells whether this is a cluster of one voter, outside any joint configuration.
   *
   * @return true for a single voter
   */
  public boolean isSingleton() {
    return voters.incoming().size() == 1 && !voters.isJoint();
  }

  /** Forgets every recorded vote, for a new election. */
  public void resetVotes() {
    votes.clear();
  }

  /**
   * Records a peer's vote; the first vote of each peer counts, later ones are ignored.
   *
   * @param id the peer id
   * @param granted whether it granted the vote
   */
  public void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  /**
   * Counts the recorded votes of tracked non-learner peers and decides the election.
   *
   * @return granted and rejected counts, and the result over the voters
   */
  public TallyResult tallyVotes() {
    int granted = 0;
    int rejected = 0;
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      Boolean vote = e.getValue().isLearner ? null : votes.get(e.getKey());
      if (vote != null) {
        if (vote) {
          granted++;
        } else {
          rejected++;
        }
      }
    }
    return new TallyResult(granted, rejected, voters.voteResult(votes));
  }

  /**
   * Returns the configuration as the wire type, all lists in ascending order. {@code auto_leave} is
   * always written, as etcd does.
   *
   * @return the configuration
   */
  public ConfState confState() {
    ConfState.Builder b = ConfState.newBuilder();
    for (long id : voters.incoming().ids()) {
      b.addVoters(id);
    }
    for (long id : voters.outgoing().ids()) {
      b.addVotersOutgoing(id);
    }
    return b.addAllLearners(learners)
        .addAllLearnersNext(learnersNext)
        .setAutoLeave(autoLeave)
        .build();
  }

  /**
   * Describes the configuration on the first line, e.g. {@code voters=(1 2 3)&&(1 2) learners=(4)
   * learners_next=(3) autoleave}, then one line per peer: {@code 1: StateProbe match=0 next=1}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(configString());
    visit((id, p) -> sb.append('\n').append(id).append(": ").append(p));
    return sb.toString();
  }

  /**
   * Describes the configuration alone, e.g. {@code voters=(1 2 3)&&(1 2) learners=(4)
   * learners_next=(3) autoleave}; empty learner sets are left out.
   *
   * @return the description
   */
  public String configString() {
    StringBuilder sb = new StringBuilder("voters=").append(voters);
    if (!learners.isEmpty()) {
      sb.append(" learners=").append(MajorityConfig.of(learners));
    }
    if (!learnersNext.isEmpty()) {
      sb.append(" learners_next=").append(MajorityConfig.of(learnersNext));
    }
    if (autoLeave) {
      sb.append(" autoleave");
    }
    return sb.toString();
  }
}

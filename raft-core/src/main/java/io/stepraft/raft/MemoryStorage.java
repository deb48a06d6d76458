package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.confchange.ConfChanger;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.confchange.InvalidChangeException;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import io.stepraft.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Storage} that keeps the stable log in memory. The host writes to it what it has
 * persisted elsewhere (a write-ahead log, say) while handling a {@code Ready}: the hard state with
 * {@link #setHardState}, entries with {@link #append}, a received snapshot with {@link
 * #applySnapshot}; it takes snapshots with {@link #createSnapshot} and drops old entries with
 * {@link #compact}.
 *
 * <p>The log is held as a list whose first element is a dummy entry carrying the index and term of
 * the latest snapshot, so that the term at {@code firstIndex() - 1} stays known after compaction.
 * An empty storage behaves as if it held a snapshot at index 0, term 0; {@link #withConfState}
 * gives that snapshot a configuration.
 *
 * <p>Not thread-safe: confine an instance to the thread that drives the {@code RawNode}, as raft
 * reads it from there.
 */
public final class MemoryStorage implements Storage {

  private HardState hardState = HardState.getDefaultInstance();
  private Snapshot snapshot = Snapshot.getDefaultInstance();
  // ents.get(0) is the dummy entry at the snapshot's index and term; real entries follow it.
  private ArrayList<Entry> ents = withDummy(0, 0);

  /** Creates an empty storage: no entries, an empty hard state, a snapshot at index 0, term 0. */
  public MemoryStorage() {}

  /**
   * Creates an empty storage whose configuration is {@code confState}, recorded as the metadata of
   * the snapshot at index 0, term 0: no entries, an empty hard state. A node built over it knows
   * its cluster's members at once and can campaign, without the configuration entries that {@link
   * RawNode#bootstrap} writes; the first entry of its log is the first leader's.
   *
   * <p>The log does not record this configuration, so the host must persist it itself and pass the
   * same one again at every restart (or restart from a snapshot, which carries the configuration as
   * of its index). It is the configuration as of index 0: every member of a new cluster starts from
   * the same one. Use {@link RawNode#bootstrap} instead when the log should be all a restart needs.
   *
   * @param confState the initial configuration: at least one voter, no node id {@code 0}, no node
   *     in two roles; a joint configuration only with consistent outgoing voters, staged learners
   *     and auto-leave flag
   * @return a storage holding only that configuration
   * @throws IllegalArgumentException if {@code confState} has no voter or is not a valid
   *     configuration; the message names what is wrong
   */
  public static MemoryStorage withConfState(ConfState confState) {
    checkInitialConfiguration(Objects.requireNonNull(confState, "confState"));
    MemoryStorage ms = new MemoryStorage();
    ms.snapshot =
        Snapshot.newBuilder()
            .setMetadata(SnapshotMetadata.newBuilder().setConfState(confState))
            .build();
    return ms;
  }

  private static void checkInitialConfiguration(ConfState cs) {
    if (cs.getVotersCount() == 0) {
      throw new IllegalArgumentException(
          "the initial configuration has no voter: " + ConfChanges.describe(cs));
    }
    for (List<Long> ids :
        List.of(
            cs.getVotersList(),
            cs.getVotersOutgoingList(),
            cs.getLearnersList(),
            cs.getLearnersNextList())) {
      if (ids.contains(0L)) {
        throw new IllegalArgumentException(
            "the initial configuration names node 0, which is no node's id: "
                + ConfChanges.describe(cs));
      }
    }
    // Restoring the configuration as a node would must give back the same members in the same
    // roles: that rejects a node in two roles, staged learners outside a joint state, ...
    ProgressTracker restored = new ProgressTracker(1, 0);
    try {
      ConfChanger.Result r = ConfChanger.restore(restored, 0, cs);
      restored.setConfig(r.voters(), r.learners(), r.learnersNext(), r.autoLeave());
      ConfChanges.checkEquivalent(cs, restored.confState());
    } catch (InvalidChangeException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "invalid initial configuration " + ConfChanges.describe(cs) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InitialState initialState() {
    return new InitialState(hardState, confState());
  }

  /** The hard state last recorded with {@link #setHardState}; the empty instance before that. */
  public HardState hardState() {
    return hardState;
  }

  /**
   * The configuration recorded with the latest snapshot (the one given to {@link #withConfState}
   * until a snapshot replaces it); the empty instance when there is none. It is what a node built
   * over this storage starts from: {@code initialState().confState()}.
   */
  public ConfState confState() {
    return snapshot.getMetadata().getConfState();
  }

  /**
   * Records the hard state that the host persisted.
   *
   * @param hs the persisted term, vote and commit index
   */
  public void setHardState(HardState hs) {
    hardState = Objects.requireNonNull(hs, "hs");
  }

  /**
   * {@inheritDoc}
   *
   * <p>The returned list is an unmodifiable copy: later appends and compactions do not alter it.
   *
   * @throws IllegalStateException if {@code hi > lastIndex() + 1}: the caller asked for entries it
   *     cannot know about
   * @throws IllegalArgumentException if {@code lo > hi}
   */
  @Override
  public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
    long offset = offset();
    if (lo <= offset) {
      throw new CompactedException(lo, offset + 1);
    }
    long last = lastIndex();
    if (hi > last + 1) {
      throw new IllegalStateException(
          "entries' hi(" + hi + ") is out of bound lastindex(" + last + ")");
    }
    if (lo > hi) {
      throw new IllegalArgumentException("invalid range [" + lo + ", " + hi + "): lo > hi");
    }
    if (ents.size() == 1) {
      throw new UnavailableException(lo, last);
    }
    int from = (int) (lo - offset);
    int to = (int) (hi - offset);
    return ImmutableLists.copyOf(
        ents, from, from + EntrySizes.fitting(ents, from, to, maxSizeBytes));
  }

  @Override
  public long term(long index) {
    long offset = offset();
    if (index < offset) {
      throw new CompactedException(index, offset + 1);
    }
    if (index - offset >= ents.size()) {
      throw new UnavailableException(index, lastIndex());
    }
    return ents.get((int) (index - offset)).getTerm();
  }

  @Override
  public long lastIndex() {
    return offset() + ents.size() - 1;
  }

  @Override
  public long firstIndex() {
    return offset() + 1;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Replaces the whole contents with a snapshot received from the leader: every entry is dropped
   * and the log continues after the snapshot's index.
   *
   * @param snap the snapshot the host persisted
   * @throws SnapshotOutOfDateException if {@code snap} is not newer than the current snapshot
   */
  public void applySnapshot(Snapshot snap) {
    SnapshotMetadata meta = snap.getMetadata();
    long current = snapshot.getMetadata().getIndex();
    if (meta.getIndex() <= current) {
      throw new SnapshotOutOfDateException(meta.getIndex(), current);
    }
    snapshot = snap;
    ents = withDummy(meta.getIndex(), meta.getTerm());
  }

  /**
   * Records a snapshot of the application state as of {@code index}, so that raft can send it to
   * followers that need compacted entries. Entries are kept; call {@link #compact} to drop them.
   *
   * @param index the last index reflected in {@code data}; it must be held by this storage
   * @param cs the configuration as of {@code index}, or {@code null} to keep the previous one
   * @param data the serialized application state
   * @return the new snapshot
   * @throws SnapshotOutOfDateException if {@code index} is not newer than the current snapshot
   * @throws IllegalStateException if {@code index > lastIndex()}
   */
  public Snapshot createSnapshot(long index, ConfState cs, ByteString data) {
    Objects.requireNonNull(data, "data");
    long current = snapshot.getMetadata().getIndex();
    if (index <= current) {
      throw new SnapshotOutOfDateException(index, current);
    }
    long last = lastIndex();
    if (index > last) {
      throw new IllegalStateException(
          "snapshot " + index + " is out of bound lastindex(" + last + ")");
    }
    SnapshotMetadata.Builder meta =
        snapshot.getMetadata().toBuilder().setIndex(index).setTerm(term(index));
    if (cs != null) {
      meta.setConfState(cs);
    }
    snapshot = Snapshot.newBuilder().setMetadata(meta).setData(data).build();
    return snapshot;
  }

  /**
   * Drops the entries before {@code compactIndex}. The entry at {@code compactIndex} becomes the
   * new dummy entry: its index and term stay known, its data is released. The host should only
   * compact entries it has applied (and, usually, snapshotted).
   *
   * @param compactIndex the index of the entry that becomes the new dummy
   * @throws CompactedException if {@code compactIndex} is already compacted
   * @throws IllegalStateException if {@code compactIndex > lastIndex()}
   */
  public void compact(long compactIndex) {
    long offset = offset();
    if (compactIndex <= offset) {
      throw new CompactedException(compactIndex, offset + 1);
    }
    long last = lastIndex();
    if (compactIndex > last) {
      throw new IllegalStateException(
          "compact " + compactIndex + " is out of bound lastindex(" + last + ")");
    }
    int keepFrom = (int) (compactIndex - offset);
    Entry newDummy = ents.get(keepFrom);
    ArrayList<Entry> kept = new ArrayList<>(ents.size() - keepFrom);
    kept.add(dummy(newDummy.getIndex(), newDummy.getTerm()));
    kept.addAll(ents.subList(keepFrom + 1, ents.size()));
    ents = kept;
  }

  /**
   * Appends entries that the host persisted. The entries must have consecutive indexes. Those
   * already compacted are skipped. An entry at an index that is already held replaces it and every
   * entry after it, as a new leader's entries replace a deposed leader's.
   *
   * @param entries the persisted entries; the list is not retained
   * @throws IllegalArgumentException if the indexes of {@code entries} are not consecutive
   * @throws IllegalStateException if the first new entry would leave a gap after {@code
   *     lastIndex()}
   */
  public void append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    checkConsecutive(entries);
    long first = firstIndex();
    long fromIndex = entries.get(0).getIndex();
    if (entries.get(entries.size() - 1).getIndex() < first) {
      return;
    }
    List<Entry> fresh = entries;
    if (fromIndex < first) {
      fresh = entries.subList((int) (first - fromIndex), entries.size());
      fromIndex = first;
    }
    long at = fromIndex - offset();
    if (at < ents.size()) {
      ents.subList((int) at, ents.size()).clear();
    } else if (at > ents.size()) {
      throw new IllegalStateException(
          "missing log entry [last: " + lastIndex() + ", append at: " + fromIndex + "]");
    }
    // Element by element: addAll would copy the list into an array first.
    ents.ensureCapacity(ents.size() + fresh.size());
    for (int i = 0, n = fresh.size(); i < n; i++) {
      ents.add(fresh.get(i));
    }
  }

  /** A short description for logs: the index range, the snapshot and the hard state. */
  @Override
  public String toString() {
    SnapshotMetadata meta = snapshot.getMetadata();
    return "MemoryStorage{firstIndex="
        + firstIndex()
        + ", lastIndex="
        + lastIndex()
        + ", snapshot=(index "
        + meta.getIndex()
        + ", term "
        + meta.getTerm()
        + ")"
        + ", hardState=(term "
        + hardState.getTerm()
        + ", vote "
        + hardState.getVote()
        + ", commit "
        + hardState.getCommit()
        + ")}";
  }

  private long offset() {
    return ents.get(0).getIndex();
  }

  private static void checkConsecutive(List<Entry> entries) {
    long expected = entries.get(0).getIndex();
    for (int i = 1, n = entries.size(); i < n; i++) {
      long index = entries.get(i).getIndex();
      if (index != ++expected) {
        throw new IllegalArgumentException(
            "entries are not consecutive: index "
                + index
                + " at position "
                + i
                + ", expected "
                + expected);
      }
    }
  }

  private static Entry dummy(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term).build();
  }

  private static ArrayList<Entry> withDummy(long index, long term) {
    ArrayList<Entry> list = new ArrayList<>();
    list.add(dummy(index, term));
    return list;
  }
}

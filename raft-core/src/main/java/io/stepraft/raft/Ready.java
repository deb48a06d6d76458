package io.stepraft.raft;

import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import java.util.Collections;
import java.util.List;

/**
 * A batch of work for the host, returned by {@link RawNode#ready()}. Handle it in this order, then
 * call {@link RawNode#advance(Ready)}:
 *
 * <ol>
 *   <li>Persist {@link #snapshot()} (if {@link #hasSnapshot()}), then {@link #entries()}, then
 *       {@link #hardState()} (if {@link #hasHardState()}), to the {@link Storage} the node reads,
 *       durably (fsync) when {@link #mustSync()} is true.
 *   <li>Only then send {@link #messages()}: some acknowledge the state just persisted.
 *   <li>Apply the snapshot and {@link #committedEntries()} to the state machine; for a
 *       configuration-change entry, call {@link
 *       RawNode#applyConfChange(io.stepraft.raft.pb.ConfChangeV2)} with the change {@link
 *       ConfChangeEntry#decode} reads from it. Serve reads in {@link #readStates()} once their
 *       index is applied.
 * </ol>
 *
 * <p>All lists are immutable and never null; absent values are the empty default instances.
 *
 * @see Describe#ready(Ready)
 */
public final class Ready {
  private final SoftState softState;
  private final HardState hardState;
  private final List<ReadState> readStates;
  private final List<Entry> entries;
  private final Snapshot snapshot;
  private final List<Entry> committedEntries;
  private final List<Message> messages;
  private final boolean mustSync;

  Ready(
      SoftState softState,
      HardState hardState,
      List<ReadState> readStates,
      List<Entry> entries,
      Snapshot snapshot,
      List<Entry> committedEntries,
      List<Message> messages,
      boolean mustSync) {
    this.softState = softState;
    this.hardState = hardState == null ? HardState.getDefaultInstance() : hardState;
    // The entry and message lists are fresh lists handed over by RawNode: wrapped, not copied.
    // The read states live on in raft (cleared after this Ready): copied.
    this.readStates = readStates.isEmpty() ? List.of() : List.copyOf(readStates);
    this.entries = frozen(entries);
    this.snapshot = snapshot == null ? Snapshot.getDefaultInstance() : snapshot;
    this.committedEntries = frozen(committedEntries);
    this.messages = frozen(messages);
    this.mustSync = mustSync;
  }

  /** The classes of {@code List.of} and {@code List.copyOf}: already unmodifiable. */
  private static final Class<?> LIST_12 = List.of(1).getClass();

  private static final Class<?> LIST_N = List.of(1, 2, 3).getClass();

  /** {@code list}, unmodifiable: as it is if it already is, else wrapped (never copied). */
  private static <T> List<T> frozen(List<T> list) {
    Class<?> c = list.getClass();
    return c == LIST_12 || c == LIST_N ? list : Collections.unmodifiableList(list);
  }

  /** The leader and role, or {@code null} when they did not change since the last Ready. */
  public SoftState softState() {
    return softState;
  }

  /** Whether {@link #softState()} is present. */
  public boolean hasSoftState() {
    return softState != null;
  }

  /** The term, vote and commit index to persist; the empty instance when unchanged. */
  public HardState hardState() {
    return hardState;
  }

  /** Whether {@link #hardState()} changed and must be persisted. */
  public boolean hasHardState() {
    return !Raft.isEmpty(hardState);
  }

  /** Reads confirmed since the last Ready: serve each once its index is applied. */
  public List<ReadState> readStates() {
    return readStates;
  }

  /** Entries to append to stable storage before the messages are sent. */
  public List<Entry> entries() {
    return entries;
  }

  /** A snapshot to persist and apply; the empty instance when none. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Whether {@link #snapshot()} holds a snapshot. */
  public boolean hasSnapshot() {
    return !Raft.isEmpty(snapshot);
  }

  /** Committed entries to apply to the state machine, in order. */
  public List<Entry> committedEntries() {
    return committedEntries;
  }

  /** Messages to send, after the entries, hard state and snapshot are persisted. */
  public List<Message> messages() {
    return messages;
  }

  /**
   * Whether the snapshot, hard state and entries must reach the disk synchronously before the
   * messages are sent: true when the term, the vote or the log changed, or a snapshot is to be
   * persisted (the messages acknowledge it). A commit index alone may be written lazily.
   */
  public boolean mustSync() {
    return mustSync;
  }

  /** Whether this Ready holds anything to do. */
  public boolean isEmpty() {
    return softState == null
        && !hasHardState()
        && readStates.isEmpty()
        && entries.isEmpty()
        && !hasSnapshot()
        && committedEntries.isEmpty()
        && messages.isEmpty();
  }

  @Override
  public String toString() {
    return "Ready{softState="
        + softState
        + ", hardState={term="
        + hardState.getTerm()
        + ", vote="
        + hardState.getVote()
        + ", commit="
        + hardState.getCommit()
        + "}, readStates="
        + readStates.size()
        + ", entries="
        + entries.size()
        + ", snapshot="
        + snapshot.getMetadata().getIndex()
        + ", committedEntries="
        + committedEntries.size()
        + ", messages="
        + messages.size()
        + ", mustSync="
        + mustSync
        + "}";
  }
}

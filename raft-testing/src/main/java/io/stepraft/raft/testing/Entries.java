package io.stepraft.raft.testing;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfChange;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Log entries for tests that write a log by hand. Entries built by {@link #labeled}, {@link
 * #withTerms} and {@link #range} carry the data {@code "index/term"}, so that two of them are equal
 * exactly when their index and term are (the Log Matching Property holds of them by construction).
 */
public final class Entries {
  private Entries() {}

  /**
   * A normal entry without data, like a new leader's empty entry.
   *
   * @param index the entry's index
   * @param term the entry's term
   * @return the entry
   */
  public static Entry entry(long index, long term) {
    return Entry.newBuilder().setIndex(index).setTerm(term).build();
  }

  /**
   * A normal entry whose data is {@code data} in UTF-8.
   *
   * @param index the entry's index
   * @param term the entry's term
   * @param data the proposal it carries
   * @return the entry
   */
  public static Entry entry(long index, long term, String data) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  /**
   * A normal entry whose data is {@code "index/term"}.
   *
   * @param index the entry's index
   * @param term the entry's term
   * @return the entry
   */
  public static Entry labeled(long index, long term) {
    return entry(index, term, index + "/" + term);
  }

  /**
   * Labeled entries at consecutive indexes from {@code firstIndex}, one per term in {@code terms}:
   * a log drawn the way the Raft paper draws it.
   *
   * @param firstIndex the index of the first entry
   * @param terms the term of each entry, in order
   * @return the entries
   */
  public static List<Entry> withTerms(long firstIndex, long... terms) {
    List<Entry> out = new ArrayList<>(terms.length);
    for (int i = 0; i < terms.length; i++) {
      out.add(labeled(firstIndex + i, terms[i]));
    }
    return out;
  }

  /**
   * Labeled entries at indexes {@code from} to {@code to}, both included, all of {@code term}.
   *
   * @param from the first index
   * @param to the last index; {@code from - 1} for none
   * @param term the term of every entry
   * @return the entries
   */
  public static List<Entry> range(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(labeled(i, term));
    }
    return out;
  }

  /**
   * An entry that carries a configuration change in the current encoding.
   *
   * @param index the entry's index
   * @param term the entry's term
   * @param change the change
   * @return an {@code EntryConfChangeV2} entry
   */
  public static Entry confChange(long index, long term, ConfChangeV2 change) {
    return entry(index, term, EntryType.EntryConfChangeV2, change.toByteString());
  }

  /**
   * An entry that carries a configuration change in the old, single-change encoding.
   *
   * @param index the entry's index
   * @param term the entry's term
   * @param change the change
   * @return an {@code EntryConfChange} entry
   */
  public static Entry confChange(long index, long term, ConfChange change) {
    return entry(index, term, EntryType.EntryConfChange, change.toByteString());
  }

  private static Entry entry(long index, long term, EntryType type, ByteString data) {
    return Entry.newBuilder().setIndex(index).setTerm(term).setType(type).setData(data).build();
  }
}

package io.stepraft.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepraft.raft.confchange.ConfChanges;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.Entry;

/**
 * Reads the configuration change that a log entry carries, so that the host's apply loop need not
 * tell the two encodings apart:
 *
 * <pre>{@code
 * for (Entry e : rd.committedEntries()) {
 *   if (e.getType() == EntryType.EntryNormal) {
 *     stateMachine.apply(e);
 *   } else {
 *     confState = node.applyConfChange(e); // decodes it with ConfChangeEntry.decode
 *   }
 * }
 * }</pre>
 */
public final class ConfChangeEntry {
  private ConfChangeEntry() {}

  /**
   * Decodes the configuration change carried by an entry of type {@code EntryConfChange} (a v1
   * {@code ConfChange}, returned as the equivalent v2 change: one single change, automatic
   * transition, the same context) or {@code EntryConfChangeV2}. A v2 entry with empty data is the
   * change that leaves a joint configuration. The result can be passed to {@link
   * RawNode#applyConfChange(ConfChangeV2)}; its changes and context tell the host which nodes
   * joined or left.
   *
   * @param entry a committed configuration-change entry
   * @return the change, in its v2 form
   * @throws InvalidConfChangeException if the entry is of another type, or its data does not decode
   *     as the change its type names
   */
  public static ConfChangeV2 decode(Entry entry) {
    try {
      return ConfChanges.decode(entry);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfChangeException(e.getMessage(), e);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidConfChangeException(
          "entry "
              + entry.getIndex()
              + " of type "
              + entry.getType()
              + " holds undecodable data: "
              + e.getMessage(),
          e);
    }
  }
}

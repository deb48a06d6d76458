package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Readable, deterministic descriptions of raft's messages, entries, states and Readies, for logs,
 * debugging and golden-file tests (the interaction tests of {@code raft-testing} print every Ready
 * and message with it). The format follows etcd's raft ({@code DescribeMessage}, {@code
 * DescribeEntry}), so traces of both read alike:
 *
 * <pre>
 * 1-&gt;2 MsgApp Term:2 Log:2/5 Commit:5 Entries:[2/6 EntryNormal "foo"]
 * 2-&gt;1 MsgAppResp Term:2 Log:0/6 Rejected (Hint: 4)
 * 2/7 EntryConfChangeV2 v4 l5 r3
 * </pre>
 *
 * <ul>
 *   <li>A node id is printed as a number; the local storage threads of asynchronous writes (ids -1
 *       and -2) as {@code AppendThread} and {@code ApplyThread}, and 0 (no node) as {@code None}.
 *   <li>An entry is {@code term/index type payload}. A configuration change is decoded into the
 *       notation {@link #confChange} describes; the data of a normal entry goes through a data
 *       formatter, by default {@link #bytes}, which any method taking a {@code dataFormatter}
 *       replaces (to render the application's own commands).
 *   <li>Contexts and data are quoted text when they are printable UTF-8, hexadecimal otherwise, and
 *       cut after {@value #TEXT_CHARS_MAX} characters or {@value #HEX_BYTES_MAX} bytes with their
 *       full length given.
 * </ul>
 *
 * <p>A message, a list of entries or a Ready may take several lines, separated by {@code '\n'},
 * without a trailing newline; every other description is one line. The methods are pure and
 * thread-safe, and only read their arguments.
 */
public final class Describe {
  /** The most characters of a text payload shown; the rest is cut and the length given. */
  public static final int TEXT_CHARS_MAX = 64;

  /** The most bytes of a binary payload shown in hexadecimal; the rest is cut, length given. */
  public static final int HEX_BYTES_MAX = 32;

  private static final Function<ByteString, String> DEFAULT_FORMATTER = Describe::bytes;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Describe() {}

  /**
   * Describes a node id: the number (unsigned), {@code AppendThread} or {@code ApplyThread} for the
   * local storage threads, {@code None} for 0.
   */
  public static String nodeId(long id) {
    if (id == Raft.LOCAL_APPEND_THREAD) {
      return "AppendThread";
    }
    if (id == Raft.LOCAL_APPLY_THREAD) {
      return "ApplyThread";
    }
    if (id == Raft.NONE) {
      return "None";
    }
    return Long.toUnsignedString(id);
  }

  /**
   * Describes a payload: {@code ""} when empty; quoted text, with {@code "} and {@code \} escaped,
   * when it is valid UTF-8 without control characters; otherwise {@code 0x} and hexadecimal digits.
   * A longer payload than {@value #TEXT_CHARS_MAX} characters or {@value #HEX_BYTES_MAX} bytes is
   * cut, followed by {@code ...} and its length: {@code "aaaa"... (1000 bytes)}.
   */
  public static String bytes(ByteString data) {
    Objects.requireNonNull(data, "data");
    if (data.isEmpty()) {
      return "\"\"";
    }
    String text = printableText(data);
    return text != null ? quoted(text, data.size()) : hex(data);
  }

  /** The payload as a string if it is valid UTF-8 without control characters, else null. */
  private static String printableText(ByteString data) {
    if (!data.isValidUtf8()) {
      return null;
    }
    String text = data.toStringUtf8();
    return text.codePoints().anyMatch(Character::isISOControl) ? null : text;
  }

  private static String quoted(String text, int sizeBytes) {
    int shownChars = text.length();
    if (text.codePointCount(0, text.length()) > TEXT_CHARS_MAX) {
      shownChars = text.offsetByCodePoints(0, TEXT_CHARS_MAX);
    }
    StringBuilder sb = new StringBuilder(shownChars + 24).append('"');
    for (int i = 0; i < shownChars; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
    if (shownChars < text.length()) {
      sb.append("... (").append(sizeBytes).append(" bytes)");
    }
    return sb.toString();
  }

  private static String hex(ByteString data) {
    int shown = Math.min(data.size(), HEX_BYTES_MAX);
    StringBuilder sb = new StringBuilder(2 + 2 * shown + 24).append("0x");
    for (int i = 0; i < shown; i++) {
      int b = data.byteAt(i) & 0xff;
      sb.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
    }
    if (shown < data.size()) {
      sb.append("... (").append(data.size()).append(" bytes)");
    }
    return sb.toString();
  }

  /**
   * Describes a message on one line, or more when it carries several entries, a snapshot or (a
   * storage message) responses: {@code from->to type Term:t Log:logTerm/index}, then {@code
   * Rejected (Hint: h)} for a rejection and the commit index, vote, context and entries when set.
   * Further lines are indented by two spaces.
   */
  public static String message(Message m) {
    return message(m, DEFAULT_FORMATTER);
  }

  /**
   * Describes a message like {@link #message(Message)}, rendering the data of its normal entries
   * with {@code dataFormatter}.
   */
  public static String message(Message m, Function<ByteString, String> dataFormatter) {
    Objects.requireNonNull(dataFormatter, "dataFormatter");
    StringBuilder sb = new StringBuilder(96);
    appendMessage(sb, "", m, dataFormatter);
    return sb.toString();
  }

  private static void appendMessage(
      StringBuilder sb, String indent, Message m, Function<ByteString, String> f) {
    sb.append(indent)
        .append(nodeId(m.getFrom()))
        .append("->")
        .append(nodeId(m.getTo()))
        .append(' ')
        .append(m.getType())
        .append(" Term:")
        .append(m.getTerm())
        .append(" Log:")
        .append(m.getLogTerm())
        .append('/')
        .append(m.getIndex());
    if (m.getReject()) {
      sb.append(" Rejected (Hint: ").append(m.getRejectHint()).append(')');
    }
    if (m.getCommit() != 0) {
      sb.append(" Commit:").append(m.getCommit());
    }
    if (m.getVote() != 0) {
      sb.append(" Vote:").append(nodeId(m.getVote()));
    }
    if (!m.getContext().isEmpty()) {
      sb.append(" Context:").append(bytes(m.getContext()));
    }
    if (m.getEntriesCount() == 1) {
      sb.append(" Entries:[").append(entry(m.getEntries(0), f)).append(']');
    } else if (m.getEntriesCount() > 1) {
      sb.append(" Entries:[");
      for (Entry e : m.getEntriesList()) {
        sb.append('\n').append(indent).append("  ").append(entry(e, f));
      }
      sb.append('\n').append(indent).append(']');
    }
    if (m.hasSnapshot() && !Raft.isEmpty(m.getSnapshot())) {
      sb.append('\n').append(indent).append("  Snapshot: ").append(snapshot(m.getSnapshot()));
    }
    if (m.getResponsesCount() > 0) {
      sb.append(" Responses:[");
      for (Message r : m.getResponsesList()) {
        sb.append('\n');
        appendMessage(sb, indent + "  ", r, f);
      }
      sb.append('\n').append(indent).append(']');
    }
  }

  /**
   * Describes an entry: {@code term/index type payload}, e.g. {@code 2/6 EntryNormal "foo"} or
   * {@code 2/7 EntryConfChangeV2 v4 l5}. The payload of a configuration change is the decoded
   * change ({@link #confChange}), or {@code undecodable} and its bytes.
   */
  public static String entry(Entry e) {
    return entry(e, DEFAULT_FORMATTER);
  }

  /**
   * Describes an entry like {@link #entry(Entry)}, rendering the data of a normal entry with {@code
   * dataFormatter}.
   */
  public static String entry(Entry e, Function<ByteString, String> dataFormatter) {
    Objects.requireNonNull(dataFormatter, "dataFormatter");
    String payload;
    if (e.getType() == EntryType.EntryNormal) {
      payload = dataFormatter.apply(e.getData());
    } else {
      try {
        payload = confChange(ConfChangeEntry.decode(e));
      } catch (InvalidConfChangeException ex) {
        payload = "undecodable " + bytes(e.getData());
      }
    }
    return e.getTerm() + "/" + e.getIndex() + " " + e.getType() + " " + payload;
  }

  /** Describes entries one per line, as {@link #entry(Entry)} does; empty for none. */
  public static String entries(List<Entry> entries) {
    return entries(entries, DEFAULT_FORMATTER);
  }

  /** Describes entries one per line, rendering the data of normal entries with the formatter. */
  public static String entries(List<Entry> entries, Function<ByteString, String> dataFormatter) {
    StringBuilder sb = new StringBuilder(48 * entries.size());
    for (Entry e : entries) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(entry(e, dataFormatter));
    }
    return sb.toString();
  }

  /**
   * Describes a configuration change in a compact notation: one token per single change, a letter
   * and the node id ({@code v} adds a voter, {@code l} a learner, {@code r} removes a node, {@code
   * u} updates one), e.g. {@code v4 l5 r3}; then {@code transition=implicit} or {@code
   * transition=explicit} for a joint transition other than the automatic one, and the context when
   * set. The empty change that leaves a joint configuration is {@code leave-joint}.
   */
  public static String confChange(ConfChangeV2 cc) {
    StringBuilder sb = new StringBuilder(8 * cc.getChangesCount() + 16);
    for (ConfChangeSingle c : cc.getChangesList()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(changeLetter(c)).append(Long.toUnsignedString(c.getNodeId()));
    }
    String transition =
        switch (cc.getTransition()) {
          case ConfChangeTransitionJointImplicit -> "transition=implicit";
          case ConfChangeTransitionJointExplicit -> "transition=explicit";
          case ConfChangeTransitionAuto -> cc.getChangesCount() == 0 ? "leave-joint" : "";
        };
    if (!transition.isEmpty()) {
      sb.append(sb.length() > 0 ? " " : "").append(transition);
    }
    if (!cc.getContext().isEmpty()) {
      sb.append(" Context:").append(bytes(cc.getContext()));
    }
    return sb.toString();
  }

  private static char changeLetter(ConfChangeSingle c) {
    return switch (c.getType()) {
      case ConfChangeAddNode -> 'v';
      case ConfChangeAddLearnerNode -> 'l';
      case ConfChangeRemoveNode -> 'r';
      case ConfChangeUpdateNode -> 'u';
    };
  }

  /**
   * Describes a hard state: {@code Term:2 Vote:1 Commit:5}, without the vote when there is none.
   */
  public static String hardState(HardState hs) {
    StringBuilder sb = new StringBuilder(40).append("Term:").append(hs.getTerm());
    if (hs.getVote() != 0) {
      sb.append(" Vote:").append(nodeId(hs.getVote()));
    }
    return sb.append(" Commit:").append(hs.getCommit()).toString();
  }

  /** Describes a soft state: {@code Lead:1 Role:LEADER}, with lead 0 when none is known. */
  public static String softState(SoftState ss) {
    return "Lead:" + Long.toUnsignedString(ss.lead()) + " Role:" + ss.role();
  }

  /**
   * Describes a configuration: {@code Voters:[1 2 3]}, followed by the outgoing voters, the
   * learners and the staged learners when there are any, and {@code AutoLeave:true} when set.
   */
  public static String confState(ConfState cs) {
    StringBuilder sb = new StringBuilder(48);
    appendIds(sb.append("Voters:"), cs.getVotersList());
    if (cs.getVotersOutgoingCount() > 0) {
      appendIds(sb.append(" VotersOutgoing:"), cs.getVotersOutgoingList());
    }
    if (cs.getLearnersCount() > 0) {
      appendIds(sb.append(" Learners:"), cs.getLearnersList());
    }
    if (cs.getLearnersNextCount() > 0) {
      appendIds(sb.append(" LearnersNext:"), cs.getLearnersNextList());
    }
    if (cs.getAutoLeave()) {
      sb.append(" AutoLeave:true");
    }
    return sb.toString();
  }

  private static void appendIds(StringBuilder sb, List<Long> ids) {
    sb.append('[');
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(Long.toUnsignedString(ids.get(i)));
    }
    sb.append(']');
  }

  /**
   * Describes a snapshot's metadata, and its data when there is any: {@code Index:5 Term:2
   * ConfState:(Voters:[1 2 3]) Data:"..."}.
   */
  public static String snapshot(Snapshot s) {
    SnapshotMetadata meta = s.getMetadata();
    StringBuilder sb =
        new StringBuilder(64)
            .append("Index:")
            .append(meta.getIndex())
            .append(" Term:")
            .append(meta.getTerm())
            .append(" ConfState:(")
            .append(confState(meta.getConfState()))
            .append(')');
    if (!s.getData().isEmpty()) {
      sb.append(" Data:").append(bytes(s.getData()));
    }
    return sb.toString();
  }

  /** Describes a read state: {@code Index:5 Context:"req-1"}. */
  public static String readState(ReadState rs) {
    return "Index:" + rs.index() + " Context:" + bytes(ByteString.copyFrom(rs.requestContext()));
  }

  /**
   * Describes a Ready, one item per line under a header {@code Ready MustSync=true:}, in the order
   * the host handles it: {@code SoftState}, {@code HardState}, {@code ReadStates:}, {@code
   * Entries:}, {@code Snapshot}, {@code CommittedEntries:}, {@code Messages:}; parts that are
   * absent or empty are left out. An empty Ready is {@code <empty Ready>}.
   */
  public static String ready(Ready rd) {
    return ready(rd, DEFAULT_FORMATTER);
  }

  /**
   * Describes a Ready like {@link #ready(Ready)}, rendering the data of normal entries (in the
   * entry lists and in messages) with {@code dataFormatter}.
   */
  public static String ready(Ready rd, Function<ByteString, String> dataFormatter) {
    Objects.requireNonNull(dataFormatter, "dataFormatter");
    if (rd.isEmpty()) {
      return "<empty Ready>";
    }
    StringBuilder sb = new StringBuilder(256);
    sb.append("Ready MustSync=").append(rd.mustSync()).append(':');
    if (rd.hasSoftState()) {
      sb.append("\nSoftState ").append(softState(rd.softState()));
    }
    if (rd.hasHardState()) {
      sb.append("\nHardState ").append(hardState(rd.hardState()));
    }
    if (!rd.readStates().isEmpty()) {
      sb.append("\nReadStates:");
      for (ReadState rs : rd.readStates()) {
        sb.append('\n').append(readState(rs));
      }
    }
    if (!rd.entries().isEmpty()) {
      sb.append("\nEntries:\n").append(entries(rd.entries(), dataFormatter));
    }
    if (rd.hasSnapshot()) {
      sb.append("\nSnapshot ").append(snapshot(rd.snapshot()));
    }
    if (!rd.committedEntries().isEmpty()) {
      sb.append("\nCommittedEntries:\n").append(entries(rd.committedEntries(), dataFormatter));
    }
    if (!rd.messages().isEmpty()) {
      sb.append("\nMessages:");
      for (Message m : rd.messages()) {
        sb.append('\n');
        appendMessage(sb, "", m, dataFormatter);
      }
    }
    return sb.toString();
  }
}

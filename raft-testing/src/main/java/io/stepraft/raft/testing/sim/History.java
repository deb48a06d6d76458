package io.stepraft.raft.testing.sim;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.Snapshot;
import java.util.Arrays;
import java.util.List;

/**
 * The oracle: the committed log as the nodes apply it. The first node to apply an index fixes the
 * entry there; every later application anywhere must agree (state machine safety). An entry counts
 * as reported committed to its client ("acknowledged") as soon as any node applies it, so the
 * acknowledged writes are exactly indexes {@code 1..size()}.
 */
final class History {
  private final Checks checks;
  private long[] terms = new long[1024];
  private long[] hashes = new long[1024];
  private long[] digests = new long[1024];
  private int size;
  private ConfState latestConfig;
  private long latestConfigIndex;

  /** The nodes that were ever members of an applied configuration, as a bit set of ids. */
  private long everMembers;

  History(Checks checks) {
    this.checks = checks;
  }

  /** How many entries are acknowledged: the highest index applied anywhere. */
  long size() {
    return size;
  }

  long term(long index) {
    return terms[(int) index];
  }

  long digest(long index) {
    return index == 0 ? 0 : digests[(int) index];
  }

  /** The configuration as of the highest applied index, or null before any. */
  ConfState latestConfig() {
    return latestConfig;
  }

  /** Whether {@code id} was ever a member (voter or learner) of an applied configuration. */
  boolean everMember(long id) {
    return (everMembers & (1L << id)) != 0;
  }

  long latestConfigIndex() {
    return latestConfigIndex;
  }

  /**
   * Records that {@code node} applied {@code e}, its state machine digest being {@code digest}
   * afterwards. Returns true if no node had applied this index before.
   */
  boolean onApply(long node, Entry e, long digest) {
    long index = e.getIndex();
    long hash = Digests.entry(e);
    if (index <= size) {
      checkSame(node, index, e.getTerm(), hash, digest);
      return false;
    }
    if (index != size + 1) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " applied index "
              + index
              + " but no node has applied "
              + (size + 1)
              + " yet");
      return false;
    }
    if (digest != Digests.chain(digest(index - 1), index, hash)) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " applied index "
              + index
              + " on top of a state that differs from the committed history at "
              + (index - 1));
    }
    grow(index);
    terms[(int) index] = e.getTerm();
    hashes[(int) index] = hash;
    digests[(int) index] = digest;
    size++;
    return true;
  }

  /** Checks an entry a node is handed again (after a restart) against what it applied before. */
  void onReapply(long node, Entry e) {
    long index = e.getIndex();
    if (index > size) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " re-delivered index "
              + index
              + " that no node applied (history ends at "
              + size
              + ")");
      return;
    }
    long hash = Digests.entry(e);
    if (terms[(int) index] != e.getTerm() || hashes[(int) index] != hash) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " re-delivered a different entry at index "
              + index
              + " (term "
              + e.getTerm()
              + ", applied term "
              + terms[(int) index]
              + ")");
    }
  }

  /** Checks a snapshot a node restores its state machine from. */
  void onSnapshot(long node, Snapshot s) {
    long index = s.getMetadata().getIndex();
    if (index > size) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " restored a snapshot at "
              + index
              + " beyond every applied index ("
              + size
              + ")");
      return;
    }
    if (terms[(int) index] != s.getMetadata().getTerm()
        || digests[(int) index] != StateMachine.digestOf(s)) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " restored a snapshot at "
              + index
              + " term "
              + s.getMetadata().getTerm()
              + " whose state differs from the history (term "
              + terms[(int) index]
              + ")");
    }
  }

  /** Records the configuration that applying index {@code index} produced. */
  void onConfig(long index, ConfState cs) {
    for (List<Long> ids :
        List.of(
            cs.getVotersList(),
            cs.getLearnersList(),
            cs.getVotersOutgoingList(),
            cs.getLearnersNextList())) {
      for (long id : ids) {
        everMembers |= 1L << id;
      }
    }
    if (index >= latestConfigIndex) {
      latestConfig = cs;
      latestConfigIndex = index;
    }
  }

  private void checkSame(long node, long index, long term, long hash, long digest) {
    int i = (int) index;
    if (terms[i] != term || hashes[i] != hash) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " applied term "
              + term
              + " at index "
              + index
              + " where another node applied term "
              + terms[i]
              + (terms[i] == term ? " with other data" : ""));
    } else if (digests[i] != digest) {
      checks.fail(
          Check.STATE_MACHINE_SAFETY,
          "node "
              + node
              + " applied index "
              + index
              + " on top of a state that differs from the other nodes'");
    }
  }

  private void grow(long index) {
    if (index < terms.length) {
      return;
    }
    int n = terms.length * 2;
    terms = Arrays.copyOf(terms, n);
    hashes = Arrays.copyOf(hashes, n);
    digests = Arrays.copyOf(digests, n);
  }
}

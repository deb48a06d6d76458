package io.stepraft.examples.kv;

import io.stepraft.raft.ConfChangeEntry;
import io.stepraft.raft.InvalidConfChangeException;
import io.stepraft.raft.RawNode;
import io.stepraft.raft.pb.ConfChangeSingle;
import io.stepraft.raft.pb.ConfChangeType;
import io.stepraft.raft.pb.ConfChangeV2;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.EntryType;
import io.stepraft.raft.pb.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5 of the Ready loop: applies a snapshot and committed entries, in order, to the state
 * machine and the configuration, and completes the requests that proposed them. Raft thread only.
 */
final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);

  private final RawNode node;
  private final KvStateMachine sm;
  private final Requests requests;
  private final NodeMetrics metrics;
  private ConfState confState;
  private long applied;

  Applier(
      RawNode node,
      KvStateMachine sm,
      Requests requests,
      NodeMetrics metrics,
      ConfState confState,
      long applied) {
    this.node = node;
    this.sm = sm;
    this.requests = requests;
    this.metrics = metrics;
    this.confState = confState;
    this.applied = applied;
  }

  long applied() {
    return applied;
  }

  ConfState confState() {
    return confState;
  }

  /** Replaces the state machine with a snapshot received from the leader. */
  void applySnapshot(Snapshot snap) {
    long index = snap.getMetadata().getIndex();
    if (index <= applied) {
      return;
    }
    sm.restore(snap.getData());
    confState = snap.getMetadata().getConfState();
    applied = index;
    log.info("restored snapshot at index {} ({} keys)", index, sm.size());
  }

  /** Applies one committed entry; returns whether the configuration changed. */
  boolean apply(Entry e) {
    if (e.getIndex() <= applied) {
      return false; // covered by a snapshot restored since it was handed out
    }
    applied = e.getIndex();
    if (e.getType() == EntryType.EntryNormal) {
      applyCommand(e);
      return false;
    }
    applyConfChange(e);
    return true;
  }

  private void applyCommand(Entry e) {
    if (e.getData().isEmpty()) {
      return; // a new leader's empty entry
    }
    Command c;
    try {
      c = Command.decode(e.getData());
    } catch (IllegalArgumentException ex) {
      log.error("skipping entry {}: {}", e.getIndex(), ex.getMessage());
      return;
    }
    KvStateMachine.Outcome outcome = sm.apply(c);
    metrics.proposalCommitted();
    requests.completeWrite(c.requestId(), outcome);
  }

  private void applyConfChange(Entry e) {
    ConfChangeV2 cc;
    try {
      cc = ConfChangeEntry.decode(e);
    } catch (InvalidConfChangeException ex) {
      log.error("skipping undecodable configuration entry {}: {}", e.getIndex(), ex.getMessage());
      return;
    }
    try {
      confState = node.applyConfChange(e);
    } catch (InvalidConfChangeException ex) {
      log.warn("configuration change at {} refused: {}", e.getIndex(), ex.getMessage());
      requests.failWrite(
          MemberContext.decode(cc.getContext()).requestId(), new KvException(409, ex.getMessage()));
      return;
    }
    MemberContext ctx = MemberContext.decode(cc.getContext());
    for (ConfChangeSingle s : cc.getChangesList()) {
      if (s.getType() == ConfChangeType.ConfChangeRemoveNode) {
        sm.removeMember(s.getNodeId());
      } else if (s.getType() != ConfChangeType.ConfChangeUpdateNode || cc.getChangesCount() == 1) {
        sm.setMember(s.getNodeId(), ctx.peerAddress());
      }
    }
    log.info(
        "configuration at {}: voters={} learners={}",
        e.getIndex(),
        confState.getVotersList(),
        confState.getLearnersList());
    requests.completeWrite(ctx.requestId(), KvStateMachine.Outcome.OK);
  }
}

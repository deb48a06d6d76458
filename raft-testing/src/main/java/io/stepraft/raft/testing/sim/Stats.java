package io.stepraft.raft.testing.sim;

/** Counters of one run, or totals over many. */
public final class Stats {
  long steps;
  long readies;
  long messages;
  long lost;
  long duplicated;
  long held;
  long echoed;
  long replayed;
  long undeliverable;
  long refusals;
  long partitions;
  long crashes;
  long tornCrashes;
  long lostRecords;

  /** Nodes lost to damaged storage (see {@link SimOptions#corruptionPerCrash}). */
  long nodesLost;

  long pauses;
  long proposals;
  long droppedProposals;
  long retries;
  long acknowledged;
  long confChanges;
  long configsApplied;
  long refusedConfChanges;
  long transfers;
  long compactions;
  long snapshotsSent;
  long snapshotsRestored;
  long reads;

  /** Ticks of the fault-free tail, and the writes acknowledged in it. */
  long tailTicks;

  long tailAcknowledged;

  /** Runs whose history the linearizability check passed, or could not decide within its budget. */
  long linearizable;

  long linearizabilityUnknown;

  Stats() {}

  /** Events processed. */
  public long steps() {
    return steps;
  }

  /** Every fault injected: partitions, crashes and pauses. */
  public long faults() {
    return partitions + crashes + pauses;
  }

  /** Unsynced records that crashes lost (whole, or the part of a torn write). */
  public long lostRecords() {
    return lostRecords;
  }

  /**
   * Nodes whose storage refused to start over injected damage, and that the simulated operator
   * replaced (see {@link SimOptions#corruptionPerCrash}).
   */
  public long nodesLost() {
    return nodesLost;
  }

  /** Node crashes, between a Ready's writes and its fsync or at any other time. */
  public long crashes() {
    return crashes;
  }

  /** Runs whose client history the linearizability check found linearizable. */
  public long linearizable() {
    return linearizable;
  }

  /** Runs whose client history the linearizability check could not decide within its budget. */
  public long linearizabilityUnknown() {
    return linearizabilityUnknown;
  }

  /** Proposals applied somewhere, so reported committed to their clients. */
  public long acknowledged() {
    return acknowledged;
  }

  void add(Stats o) {
    steps += o.steps;
    readies += o.readies;
    messages += o.messages;
    lost += o.lost;
    duplicated += o.duplicated;
    held += o.held;
    echoed += o.echoed;
    replayed += o.replayed;
    undeliverable += o.undeliverable;
    refusals += o.refusals;
    partitions += o.partitions;
    crashes += o.crashes;
    tornCrashes += o.tornCrashes;
    lostRecords += o.lostRecords;
    nodesLost += o.nodesLost;
    pauses += o.pauses;
    proposals += o.proposals;
    droppedProposals += o.droppedProposals;
    retries += o.retries;
    acknowledged += o.acknowledged;
    confChanges += o.confChanges;
    configsApplied += o.configsApplied;
    refusedConfChanges += o.refusedConfChanges;
    transfers += o.transfers;
    compactions += o.compactions;
    snapshotsSent += o.snapshotsSent;
    snapshotsRestored += o.snapshotsRestored;
    reads += o.reads;
    tailTicks += o.tailTicks;
    tailAcknowledged += o.tailAcknowledged;
    linearizable += o.linearizable;
    linearizabilityUnknown += o.linearizabilityUnknown;
  }

  /** Every counter, as {@code name=value} pairs. */
  @Override
  public String toString() {
    return "steps="
        + steps
        + " readies="
        + readies
        + " messages="
        + messages
        + " lost="
        + lost
        + " duplicated="
        + duplicated
        + " held="
        + held
        + " echoed="
        + echoed
        + " replayed="
        + replayed
        + " undeliverable="
        + undeliverable
        + " refusals="
        + refusals
        + " partitions="
        + partitions
        + " crashes="
        + crashes
        + " tornCrashes="
        + tornCrashes
        + " lostRecords="
        + lostRecords
        + " nodesLost="
        + nodesLost
        + " pauses="
        + pauses
        + " proposals="
        + proposals
        + " droppedProposals="
        + droppedProposals
        + " retries="
        + retries
        + " acknowledged="
        + acknowledged
        + " confChanges="
        + confChanges
        + " configsApplied="
        + configsApplied
        + " refusedConfChanges="
        + refusedConfChanges
        + " transfers="
        + transfers
        + " compactions="
        + compactions
        + " snapshotsSent="
        + snapshotsSent
        + " snapshotsRestored="
        + snapshotsRestored
        + " reads="
        + reads
        + " tailTicks="
        + tailTicks
        + " tailAcknowledged="
        + tailAcknowledged
        + " linearizable="
        + linearizable
        + " linearizabilityUnknown="
        + linearizabilityUnknown;
  }
}

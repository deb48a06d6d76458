/**
 * A deterministic, fault-injecting simulator of a whole stepraft cluster.
 *
 * <h2>Running it</h2>
 *
 * <ul>
 *   <li>{@link io.stepraft.raft.testing.sim.Simulator#run} simulates one seed; {@link
 *       io.stepraft.raft.testing.sim.SimulationAssertions#assertSeedsPass} a range of seeds from a
 *       JUnit test, failing with a report per failing seed.
 *   <li>A failure report gives the seed, the drawn parameters, the violation, the last events and
 *       the command that replays it ({@link
 *       io.stepraft.raft.testing.sim.SimOptions#replayCommand}); a replay with {@code
 *       verbose(true)} prints every event.
 *   <li>stepraft's own build runs raft-core's simulation ({@code SimulationTest} in
 *       raft-core-tests) over 1000 seeds in {@code mvn -B verify}; {@code mvn -B -Psoak test} runs
 *       100000 ({@code -Dsim.seeds=N}, {@code -Dsim.firstSeed=S} choose others, {@code -Dsim.seed=S
 *       -Dsim.verbose=true} replays one seed), printing progress every 1000 seeds and a summary.
 * </ul>
 *
 * <h2>The world</h2>
 *
 * <p>One {@link java.util.SplittableRandom} seeded with the run's seed drives everything: the
 * parameters ({@link io.stepraft.raft.testing.sim.SimParams}, drawn within fixed bounds), every
 * node's raft random seed, delays, faults and clients. Time is logical: 100 microticks per nominal
 * tick; events (ticks, deliveries, driver rounds, restarts, resumes, transport reports) sit in one
 * queue ordered by time and then by scheduling order. The same seed therefore gives the same run,
 * event for event ({@code SimDeterminismTest}).
 *
 * <ul>
 *   <li><b>Nodes</b>: 3 to 7, ids {@code 1..n}; the first 3..n are bootstrapped voters, the others
 *       spares that membership changes add. Each ticks at its own rate (nominal ± up to 10%).
 *   <li><b>Disk</b> ({@code SimDisk}): a write-ahead log of records (snapshot, entry, hard state)
 *       written to a volatile buffer and made durable in order by fsync. A crash loses the buffer
 *       or, torn, keeps a prefix of it. A restart reads only the durable copy. With a storage of
 *       the user's ({@link io.stepraft.raft.testing.sim.SimOptions#storage}) the writes go to it
 *       too, restarts read it back through its own recovery, and the model checks what they read
 *       ({@link io.stepraft.raft.testing.sim.SimStorage}, {@link
 *       io.stepraft.raft.testing.sim.Check#STORAGE}).
 *   <li><b>State machine</b> ({@code StateMachine}): durable at apply time (a database that commits
 *       each entry with its applied index); its state is the applied index and a digest of every
 *       entry applied, which is also what a snapshot holds.
 *   <li><b>Network</b>: per-message random delay (so reordering), loss, duplication and delay
 *       spikes; symmetric splits, one-way cuts and isolated nodes, healed at random. A message that
 *       crossed the network may also wait in its receiver's queue for up to four election timeouts
 *       ({@code holdRate}: it meets a newer term, or a leader that was cut off since, whatever the
 *       links are doing by then), and the messages that confirm reads, forwarded MsgReadIndex and
 *       MsgHeartbeatResp, are handled once more after such a wait ({@code echoRate}, up to half of
 *       them): duplicated and delayed across leader changes.
 *   <li><b>Faults</b>: crashes (at any time, and between a Ready's writes and its fsync), pauses,
 *       partitions; half of the crashes and some isolations hit the leader. A quarter of the runs
 *       are stormy (partitions and crashes three times as often). Crashed nodes restart and paused
 *       ones resume after a while.
 *   <li><b>Clients</b> ({@code Workload}): unique proposals (retried with the same payload after a
 *       timeout), ReadIndex reads, membership changes (learners, promotions, demotions, removals,
 *       joint swaps left automatically or explicitly), leadership transfers, forgetLeader, and
 *       snapshots with compaction.
 * </ul>
 *
 * <p>A run has a chaos phase (faults and clients) and a settling phase: faults stop, the network
 * heals and calms, crashed members restart; the cluster must then converge.
 *
 * <h2>The host</h2>
 *
 * <p>{@code Host} handles each Ready as the contract says: write snapshot, entries and hard state
 * to the storage and the disk buffer; fsync (always when {@code mustSync} or a snapshot is present;
 * a commit-only hard state may be left unsynced when the run draws lazy commit syncs); send; apply;
 * advance. Choices that a real host also has to make:
 *
 * <ul>
 *   <li>A restarted node gets {@code Config.applied} = its snapshot index, so raft hands out the
 *       entries after it again: those the durable state machine already applied are checked against
 *       the history and skipped, but configuration changes among them are applied to the RawNode
 *       again to rebuild its configuration (as etcd's server does). A state machine behind the
 *       disk's snapshot is restored from it first. The recovered commit index is at least the
 *       snapshot's index.
 *   <li>A MsgSnap carries a fresh snapshot of the leader's state machine (etcd's "merged"
 *       snapshot): a stored snapshot may predate the recipient's addition, and raft does not
 *       restore a snapshot whose configuration lacks the node. The transport reports the outcome
 *       with {@code reportSnapshot}, including when the snapshot is lost; undeliverable appends and
 *       heartbeats are reported with {@code reportUnreachable}.
 *   <li>A node is started when a configuration that adds it is committed, as after etcd's {@code
 *       member add}, and shut down (after a sync) once every member has applied its removal;
 *       stopping it at once could strand members that still hold a joint configuration needing it.
 *       A removed node is never added again (etcd refuses a removed member's id too: its old log
 *       holds configurations the cluster left long ago, and stale members may still count it).
 *   <li>Membership changes are validated when applied, as etcd's server does: a change carries in
 *       its context the index of the configuration it was computed from and is refused if another
 *       change was applied since, so concurrent changes never compound, and every configuration
 *       keeps at least three voters. A change raft refuses ({@code InvalidConfChangeException}) is
 *       skipped too. Every node decides alike.
 * </ul>
 *
 * <p>Half the runs ({@code ClusterParams.asyncWrites}, drawn from a second random source seeded
 * from the seed, so that the synchronous runs stay as they were) use asynchronous storage writes
 * ({@code docs/async-writes.md}): messages to peers leave at once, and each node's MsgStorageAppend
 * and MsgStorageApply messages queue for its append and apply "threads", which work later as events
 * of their own ({@code APPEND_WORK}, {@code APPLY_WORK}, delays up to {@code
 * maxStorageDelayMicros}). Each takes what is queued by then as one batch, in order: the append
 * thread writes it to the disk buffer and fsyncs (a crash may come in between, tearing it), then
 * per message updates the MemoryStorage, restores the state machine from a snapshot and delivers
 * the responses (stepped if to itself, sent otherwise); the apply thread applies the entries and
 * steps the responses. A crash or shutdown loses the queued work; a paused process does none.
 * Entries the apply thread still holds below a snapshot the RawNode has already restored are
 * skipped: the snapshot replaces them, and applying their configuration changes would roll back the
 * RawNode's configuration. Leader completeness is checked once the new leader's first write is
 * durable (its storage then holds its whole log); commit reports come from the Ready. Planted host
 * bugs run synchronously.
 *
 * <h2>The checks</h2>
 *
 * <p>See {@link io.stepraft.raft.testing.sim.Check}. A write is <em>acknowledged</em> (reported
 * committed to its client) as soon as any node applies it, so the acknowledged writes are exactly
 * the applied history ({@code History}). Checks run as the events happen, on every Ready, on every
 * durable disk record, at every leader election, and at the end of the run: election safety and
 * single votes (from durable votes and sent grants), log matching (each {@code (index, term)} fixes
 * its data and the term before it), leader completeness (against the highest index a node of an
 * earlier term reported committed), state machine safety and apply order, durability (an
 * acknowledged entry is durably held by a blocking set of the latest configuration, never durably
 * overwritten, and in the final leader's log), commit monotonicity (per process, and across
 * restarts against what the disk synced), commit bounds, ReadIndex freshness (every answer to a
 * read, however late and however many, has an index at or above every write acknowledged before the
 * read started), liveness after the heal (a leader within {@code Liveness.LEADER_TICKS_MAX} ticks,
 * full convergence within {@code Liveness.CONVERGE_TICKS_MAX}), and any unexpected core exception.
 *
 * <p>{@code PlantedBugTest} shows that each check fires: it plants a bug in the host, disk or
 * network ({@link io.stepraft.raft.testing.sim.PlantedBug}), enables only that check, finds a seed
 * where it reports, and checks that the seed passes without the bug. {@code PlantedCoreBugTest}
 * does the same for bugs in the core itself, planted through {@code SimOptions.nodeFactory}: a
 * leader committing an earlier term's entries by counting (Figure 8), caught by leader
 * completeness, and a leader confirming reads by their context (a late echo of an earlier round
 * confirms reads queued after it), caught by the read check; each on a bounded seed range it
 * searches, with parameters tuned to expose it.
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li>Reads use {@code ReadOnlyOption.SAFE}; lease-based reads depend on clock bounds that the
 *       skewed ticks do not respect.
 *   <li>{@code disableConfChangeValidation} is not exercised: without validation, concurrent
 *       changes are unsafe by design.
 *   <li>Liveness is only required of what the model lets a real cluster do: configurations keep
 *       three voters or more, removed nodes stay up until every member knows of their removal, and
 *       the transport reports snapshot outcomes (raft waits for them).
 * </ul>
 */
package io.stepraft.raft.testing.sim;

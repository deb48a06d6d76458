/**
 * A linearizability checker for histories from the simulator, the cluster driver or a real cluster.
 *
 * <p>Record a {@link io.stepraft.raft.testing.lincheck.History} (with {@link
 * io.stepraft.raft.testing.lincheck.History#builder}, {@link
 * io.stepraft.raft.testing.lincheck.History#of} or a thread-safe {@link
 * io.stepraft.raft.testing.lincheck.HistoryRecorder}), describe the service with a {@link
 * io.stepraft.raft.testing.lincheck.Model} ({@link io.stepraft.raft.testing.lincheck.KvModel} and
 * {@link io.stepraft.raft.testing.lincheck.RegisterModel} are built in), and call {@link
 * io.stepraft.raft.testing.lincheck.LinearizabilityChecker#check} with a {@link
 * io.stepraft.raft.testing.lincheck.Budget}. The {@link
 * io.stepraft.raft.testing.lincheck.CheckResult} is LINEARIZABLE, NOT_LINEARIZABLE with a shrunk
 * counterexample and a report that says why, or UNKNOWN when the budget ran out.
 *
 * <p>Semantics of a history:
 *
 * <ul>
 *   <li>an operation that answered took effect at one instant between its invocation and its
 *       return;
 *   <li>an operation that failed did not take effect: it is left out;
 *   <li>an operation of unknown outcome (a timeout; Jepsen's "info") took effect at one instant
 *       after its invocation, or never, and its output is unknown;
 *   <li>operation A precedes B in real time if A returned strictly before B was invoked; equal
 *       times count as concurrent.
 * </ul>
 *
 * <p>See docs/testing.md for the algorithm, its limits and an example.
 */
package io.stepraft.raft.testing.lincheck;

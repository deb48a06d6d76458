/**
 * Data-driven interaction tests: scripts that drive in-process raft nodes command by command and
 * record what each command printed, checked as golden output by {@link
 * io.stepraft.raft.testing.interaction.InteractionRunner}.
 *
 * <p>A script is a sequence of blocks separated by blank lines; lines starting with {@code #}
 * between blocks are comments. A block is one command line, a {@code ----} line, and the output the
 * command is expected to print:
 *
 * <pre>
 * # Three voters; node 1 wins an election.
 * add-nodes 3 voters=(1,2,3) prevote=true
 * ----
 * INFO 1 switched to configuration Voters:[1 2 3]
 * ...
 *
 * campaign 1
 * ----
 * INFO 1 became PRE_CANDIDATE at term 0
 * </pre>
 *
 * <p>Arguments are positional ({@code propose 1 foo}) or named ({@code voters=(1,2,3)}, {@code
 * type=MsgApp}); a value with spaces is quoted. The nodes are {@link io.stepraft.raft.RawNode}s
 * over {@link io.stepraft.raft.MemoryStorage}, each with a host that persists, sends and applies as
 * the Ready contract says; messages wait in flight until a command delivers them. Readies and
 * messages are printed with {@link io.stepraft.raft.Describe}, role and configuration changes as
 * {@code INFO} lines where they happen. Everything is deterministic: node {@code N} draws its
 * election timeouts from a random source seeded with {@code N}.
 *
 * <p>The commands: {@code add-nodes}, {@code campaign}, {@code propose}, {@code
 * propose-conf-change}, {@code tick}, {@code tick-heartbeat}, {@code tick-election}, {@code
 * stabilize}, {@code process-ready}, {@code process-append-thread}, {@code process-apply-thread},
 * {@code deliver-msgs}, {@code isolate}, {@code recover}, {@code raft-log}, {@code raft-state},
 * {@code status}, {@code transfer-leadership}, {@code read-index}, {@code forget-leader}, {@code
 * report-unreachable}, {@code report-snapshot}, {@code compact}, {@code log-level}; {@code
 * docs/testing.md} describes each.
 */
package io.stepraft.raft.testing.interaction;

package io.stepraft.raft.sim;

import io.stepraft.raft.Config;
import io.stepraft.raft.RawNode;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * How to run the simulator, beyond what the seed decides.
 *
 * @param bug the planted bug, {@link PlantedBug#NONE} for a correct host
 * @param enabled the checks that may report a violation; the others only observe
 * @param verbose whether to print every event as it happens
 * @param panicIsCrash whether an unexpected core exception crashes the node (as a process would)
 *     instead of failing the run with {@link Check#CORE_INVARIANT}
 * @param traceDepth how many recent events a failure report shows
 * @param tweak adjusts the parameters drawn from the seed (planted-bug tests raise fault rates)
 * @param nodeFactory builds every RawNode the simulator starts: {@code RawNode::new}, or a core
 *     with a planted bug (see {@code io.stepraft.raft.PlantedBugs})
 */
public record SimOptions(
    PlantedBug bug,
    Set<Check> enabled,
    boolean verbose,
    boolean panicIsCrash,
    int traceDepth,
    UnaryOperator<SimParams> tweak,
    Function<Config, RawNode> nodeFactory) {

  /** A correct host, every check enabled, quiet. */
  public static SimOptions defaults() {
    return new SimOptions(
        PlantedBug.NONE, EnumSet.allOf(Check.class), false, false, 60, p -> p, RawNode::new);
  }

  /** A copy that prints every event. */
  public SimOptions verbose(boolean on) {
    return new SimOptions(bug, enabled, on, panicIsCrash, traceDepth, tweak, nodeFactory);
  }

  /** A copy with a planted bug, only {@code checks} enabled, and core panics treated as crashes. */
  public SimOptions planted(PlantedBug b, Set<Check> checks) {
    return new SimOptions(b, EnumSet.copyOf(checks), verbose, true, traceDepth, tweak, nodeFactory);
  }

  /** A copy whose drawn parameters are adjusted by {@code t}. */
  public SimOptions tweak(UnaryOperator<SimParams> t) {
    return new SimOptions(bug, enabled, verbose, panicIsCrash, traceDepth, t, nodeFactory);
  }

  /** A copy that builds its nodes with {@code factory}. */
  public SimOptions nodeFactory(Function<Config, RawNode> factory) {
    return new SimOptions(bug, enabled, verbose, panicIsCrash, traceDepth, tweak, factory);
  }
}

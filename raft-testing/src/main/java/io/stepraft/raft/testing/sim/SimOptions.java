package io.stepraft.raft.testing.sim;

import io.stepraft.raft.Config;
import io.stepraft.raft.RawNode;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * How to run the simulator, beyond what the seed decides. Immutable: each setter returns a copy.
 */
public final class SimOptions {
  private final PlantedBug bug;
  private final Set<Check> enabled;
  private final boolean verbose;
  private final boolean panicIsCrash;
  private final int traceDepth;
  private final UnaryOperator<SimParams> tweak;
  private final Function<Config, RawNode> nodeFactory;
  private final LongFunction<String> replayCommand;
  private final SimParams.Storm storm;
  private final Supplier<? extends SimApplication<?, ?>> application;

  private SimOptions(
      PlantedBug bug,
      Set<Check> enabled,
      boolean verbose,
      boolean panicIsCrash,
      int traceDepth,
      UnaryOperator<SimParams> tweak,
      Function<Config, RawNode> nodeFactory,
      LongFunction<String> replayCommand,
      SimParams.Storm storm,
      Supplier<? extends SimApplication<?, ?>> application) {
    this.bug = bug;
    this.enabled = Set.copyOf(enabled);
    this.verbose = verbose;
    this.panicIsCrash = panicIsCrash;
    this.traceDepth = traceDepth;
    this.tweak = Objects.requireNonNull(tweak, "tweak");
    this.nodeFactory = Objects.requireNonNull(nodeFactory, "nodeFactory");
    this.replayCommand = Objects.requireNonNull(replayCommand, "replayCommand");
    this.storm = storm;
    this.application = Objects.requireNonNull(application, "application");
  }

  /**
   * A correct host over {@code RawNode::new}, every check enabled, quiet; a failure report says to
   * replay the seed with {@link Simulator#run}.
   */
  public static SimOptions defaults() {
    return new SimOptions(
        PlantedBug.NONE,
        EnumSet.allOf(Check.class),
        false,
        false,
        60,
        p -> p,
        RawNode::new,
        seed -> "Simulator.run(" + seed + ", options) with options.verbose(true)",
        null,
        KeyValueApplication::create);
  }

  /** A copy that prints every event as it happens (or not). */
  public SimOptions verbose(boolean on) {
    return new SimOptions(
        bug,
        enabled,
        on,
        panicIsCrash,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        storm,
        application);
  }

  /**
   * A copy in which only {@code checks} may fail a run; the others only observe (and count what
   * they would have reported, see {@link RunResult#suppressed()}).
   */
  public SimOptions checks(Set<Check> checks) {
    return new SimOptions(
        bug,
        EnumSet.copyOf(checks),
        verbose,
        panicIsCrash,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        storm,
        application);
  }

  /**
   * A copy in which an unexpected exception from the core crashes the node, as it would crash a
   * process, instead of failing the run with {@link Check#CORE_INVARIANT}: for runs of a core with
   * a planted bug, whose other symptoms are what is looked for.
   */
  public SimOptions crashOnCorePanic(boolean on) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        on,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        storm,
        application);
  }

  /** A copy whose drawn parameters are adjusted by {@code t} (raise fault rates, say). */
  public SimOptions tweak(UnaryOperator<SimParams> t) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        panicIsCrash,
        traceDepth,
        t,
        nodeFactory,
        replayCommand,
        storm,
        application);
  }

  /** A copy that builds its nodes with {@code factory} instead of {@code RawNode::new}. */
  public SimOptions nodeFactory(Function<Config, RawNode> factory) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        panicIsCrash,
        traceDepth,
        tweak,
        factory,
        replayCommand,
        storm,
        application);
  }

  /** A copy whose failure reports give {@code command.apply(seed)} as the way to replay a seed. */
  public SimOptions replayCommand(LongFunction<String> command) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        panicIsCrash,
        traceDepth,
        tweak,
        nodeFactory,
        command,
        storm,
        application);
  }

  /**
   * A copy whose runs all have {@code s} for their storm (its biases on the drawn parameters, and
   * its faults), instead of the drawn one; null restores the drawn storms.
   */
  public SimOptions storm(SimParams.Storm s) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        panicIsCrash,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        s,
        application);
  }

  /**
   * A copy whose runs use the application {@code factory} makes (one per run): its state machine on
   * every node, its commands and queries, its model for the linearizability check. The default is
   * {@link KeyValueApplication}.
   */
  public SimOptions application(Supplier<? extends SimApplication<?, ?>> factory) {
    return new SimOptions(
        bug,
        enabled,
        verbose,
        panicIsCrash,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        storm,
        factory);
  }

  /** A copy with a bug planted in the host, only {@code checks} enabled, panics as crashes. */
  SimOptions planted(PlantedBug b, Set<Check> checks) {
    return new SimOptions(
        b,
        EnumSet.copyOf(checks),
        verbose,
        true,
        traceDepth,
        tweak,
        nodeFactory,
        replayCommand,
        storm,
        application);
  }

  PlantedBug bug() {
    return bug;
  }

  Set<Check> enabled() {
    return enabled;
  }

  boolean verbose() {
    return verbose;
  }

  boolean panicIsCrash() {
    return panicIsCrash;
  }

  int traceDepth() {
    return traceDepth;
  }

  UnaryOperator<SimParams> tweak() {
    return tweak;
  }

  Function<Config, RawNode> nodeFactory() {
    return nodeFactory;
  }

  @SuppressWarnings("unchecked")
  SimApplication<Object, Object> application() {
    return (SimApplication<Object, Object>) application.get();
  }

  SimParams.Storm storm() {
    return storm;
  }

  String replayCommand(long seed) {
    return replayCommand.apply(seed);
  }
}

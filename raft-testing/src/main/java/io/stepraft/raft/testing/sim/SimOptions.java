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
  private PlantedBug bug = PlantedBug.NONE;
  private Set<Check> enabled = EnumSet.allOf(Check.class);
  private boolean verbose;
  private boolean panicIsCrash;
  private int traceDepth = 60;
  private UnaryOperator<SimParams> tweak = p -> p;
  private Function<Config, RawNode> nodeFactory = RawNode::new;
  private LongFunction<String> replayCommand =
      seed -> "Simulator.run(" + seed + ", options) with options.verbose(true)";
  private SimParams.Storm storm;
  private Supplier<? extends SimApplication<?, ?>> application = KeyValueApplication::create;
  private SimStorage.Factory storage;
  private double corruptionPerCrash;

  private SimOptions() {}

  private SimOptions copy() {
    SimOptions c = new SimOptions();
    c.bug = bug;
    c.enabled = enabled;
    c.verbose = verbose;
    c.panicIsCrash = panicIsCrash;
    c.traceDepth = traceDepth;
    c.tweak = tweak;
    c.nodeFactory = nodeFactory;
    c.replayCommand = replayCommand;
    c.storm = storm;
    c.application = application;
    c.storage = storage;
    c.corruptionPerCrash = corruptionPerCrash;
    return c;
  }

  /**
   * A correct host over {@code RawNode::new}, every check enabled, quiet; a failure report says to
   * replay the seed with {@link Simulator#run}.
   */
  public static SimOptions defaults() {
    return new SimOptions();
  }

  /** A copy that prints every event as it happens (or not). */
  public SimOptions verbose(boolean on) {
    SimOptions c = copy();
    c.verbose = on;
    return c;
  }

  /**
   * A copy in which only {@code checks} may fail a run; the others only observe (and count what
   * they would have reported, see {@link RunResult#suppressed()}).
   */
  public SimOptions checks(Set<Check> checks) {
    SimOptions c = copy();
    c.enabled = Set.copyOf(EnumSet.copyOf(checks));
    return c;
  }

  /**
   * A copy in which an unexpected exception from the core crashes the node, as it would crash a
   * process, instead of failing the run with {@link Check#CORE_INVARIANT}: for runs of a core with
   * a planted bug, whose other symptoms are what is looked for.
   */
  public SimOptions crashOnCorePanic(boolean on) {
    SimOptions c = copy();
    c.panicIsCrash = on;
    return c;
  }

  /** A copy whose drawn parameters are adjusted by {@code t} (raise fault rates, say). */
  public SimOptions tweak(UnaryOperator<SimParams> t) {
    SimOptions c = copy();
    c.tweak = Objects.requireNonNull(t, "tweak");
    return c;
  }

  /** A copy that builds its nodes with {@code factory} instead of {@code RawNode::new}. */
  public SimOptions nodeFactory(Function<Config, RawNode> factory) {
    SimOptions c = copy();
    c.nodeFactory = Objects.requireNonNull(factory, "nodeFactory");
    return c;
  }

  /** A copy whose failure reports give {@code command.apply(seed)} as the way to replay a seed. */
  public SimOptions replayCommand(LongFunction<String> command) {
    SimOptions c = copy();
    c.replayCommand = Objects.requireNonNull(command, "replayCommand");
    return c;
  }

  /**
   * A copy whose runs all have {@code s} for their storm (its biases on the drawn parameters, and
   * its faults), instead of the drawn one; null restores the drawn storms.
   */
  public SimOptions storm(SimParams.Storm s) {
    SimOptions c = copy();
    c.storm = s;
    return c;
  }

  /**
   * A copy whose runs use the application {@code factory} makes (one per run): its state machine on
   * every node, its commands and queries, its model for the linearizability check. The default is
   * {@link KeyValueApplication}.
   */
  public SimOptions application(Supplier<? extends SimApplication<?, ?>> factory) {
    SimOptions c = copy();
    c.application = Objects.requireNonNull(factory, "application");
    return c;
  }

  /**
   * A copy whose nodes also keep their writes on a storage under test, made by {@code factory} (one
   * per node and run), which every restart then reads back through its real recovery code and the
   * simulator checks against its model of the disk (see {@link SimStorage}); null restores the
   * modelled disk alone. Runs with a storage draw the same parameters but not the same events as
   * runs without one.
   */
  public SimOptions storage(SimStorage.Factory factory) {
    SimOptions c = copy();
    c.storage = factory;
    return c;
  }

  /**
   * A copy in which a crash also damages durable data ({@link SimStorage#corrupt}) with probability
   * {@code probability}, while at most one member is lost to damage at a time; the node must then
   * refuse to start and is replaced by a new member. Only with a {@link #storage}; default 0.
   *
   * @throws IllegalArgumentException unless {@code 0 <= probability <= 1}
   */
  public SimOptions corruptionPerCrash(double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "corruptionPerCrash must be in [0, 1], got " + probability);
    }
    SimOptions c = copy();
    c.corruptionPerCrash = probability;
    return c;
  }

  /** A copy with a bug planted in the host, only {@code checks} enabled, panics as crashes. */
  SimOptions planted(PlantedBug b, Set<Check> checks) {
    SimOptions c = checks(checks);
    c.bug = b;
    c.panicIsCrash = true;
    return c;
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

  SimStorage.Factory storage() {
    return storage;
  }

  double corruptionPerCrash() {
    return corruptionPerCrash;
  }

  String replayCommand(long seed) {
    return replayCommand.apply(seed);
  }
}

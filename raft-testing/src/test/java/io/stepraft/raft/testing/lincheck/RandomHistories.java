package io.stepraft.raft.testing.lincheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small random histories for property tests: 1 to 3 clients, each running its operations one after
 * another with random gaps and durations, so that operations overlap at random.
 */
final class RandomHistories<S, I, O> {
  /** What clients may ask, and every answer each request could get, over small values. */
  interface Workload<I, O> {
    I randomInput(SplittableRandom random);

    List<O> outputs(I input);
  }

  /** One planned operation: when it runs, when it takes effect, and how it ends. */
  private static final class Plan<I> {
    long client;
    long invoke;
    long effect;
    long ret;
    I input;
    boolean fails; // did not take effect, and the client knows
    boolean timesOut; // the client never learns
    boolean takesEffect;
  }

  static final double FAIL_PROBABILITY = 0.1;
  static final double TIMEOUT_PROBABILITY = 0.15;

  private final Model<S, I, O> model;
  private final Workload<I, O> workload;

  RandomHistories(Model<S, I, O> model, Workload<I, O> workload) {
    this.model = model;
    this.workload = workload;
  }

  /**
   * A history of a real object under the model: each operation takes effect at one random instant
   * in its interval (a timed-out one at any instant after its invocation, or never), so the history
   * is linearizable by construction.
   */
  List<Operation<I, O>> linearizable(SplittableRandom random, int opCount) {
    List<Plan<I>> plans = plan(random, opCount);
    List<Plan<I>> byEffect = new ArrayList<>(plans);
    byEffect.sort(Comparator.comparingLong(p -> p.effect)); // stable: ties keep their plan order
    S state = model.initialState();
    List<O> outputs = new ArrayList<>();
    List<Plan<I>> applied = new ArrayList<>();
    for (Plan<I> plan : byEffect) {
      if (!plan.takesEffect) {
        continue;
      }
      O output = legalOutput(state, plan.input);
      state = model.step(state, plan.input, output).orElseThrow();
      outputs.add(output);
      applied.add(plan);
    }
    List<Operation<I, O>> ops = new ArrayList<>();
    for (Plan<I> plan : plans) {
      int i = applied.indexOf(plan);
      ops.addAll(toOperation(plan, i < 0 ? null : outputs.get(i)));
    }
    return ops;
  }

  /** A history with the same shape but answers picked at random: rarely linearizable. */
  List<Operation<I, O>> random(SplittableRandom random, int opCount) {
    List<Operation<I, O>> ops = new ArrayList<>();
    for (Plan<I> plan : plan(random, opCount)) {
      List<O> outputs = workload.outputs(plan.input);
      ops.addAll(toOperation(plan, outputs.get(random.nextInt(outputs.size()))));
    }
    return ops;
  }

  /** A linearizable history with one answer replaced at random: linearizable or not. */
  List<Operation<I, O>> mutated(SplittableRandom random, int opCount) {
    List<Operation<I, O>> ops = new ArrayList<>(linearizable(random, opCount));
    List<Integer> known = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).outcomeKnown()) {
        known.add(i);
      }
    }
    if (!known.isEmpty()) {
      int i = known.get(random.nextInt(known.size()));
      Operation<I, O> op = ops.get(i);
      List<O> outputs = workload.outputs(op.input());
      O output = outputs.get(random.nextInt(outputs.size()));
      ops.set(
          i, new Operation<>(op.clientId(), op.input(), output, op.invokeTime(), op.returnTime()));
    }
    return ops;
  }

  private List<Plan<I>> plan(SplittableRandom random, int opCount) {
    int clients = 1 + random.nextInt(3);
    long[] free = new long[clients];
    List<Plan<I>> plans = new ArrayList<>();
    for (int i = 0; i < opCount; i++) {
      Plan<I> plan = new Plan<>();
      int client = random.nextInt(clients);
      plan.client = client;
      plan.input = workload.randomInput(random);
      plan.invoke = free[client] + random.nextInt(3);
      plan.ret = plan.invoke + random.nextInt(5);
      double fate = random.nextDouble();
      plan.fails = fate < FAIL_PROBABILITY;
      plan.timesOut = !plan.fails && fate < FAIL_PROBABILITY + TIMEOUT_PROBABILITY;
      plan.takesEffect = !plan.fails && (!plan.timesOut || random.nextBoolean());
      long latest = plan.timesOut ? plan.invoke + 12 : plan.ret; // a timeout may act late
      plan.effect = plan.invoke + random.nextLong(latest - plan.invoke + 1);
      free[client] = plan.ret + random.nextInt(2); // equal times: concurrent
      plans.add(plan);
    }
    return plans;
  }

  private O legalOutput(S state, I input) {
    for (O output : workload.outputs(input)) {
      if (model.step(state, input, output).isPresent()) {
        return output;
      }
    }
    throw new IllegalStateException("no legal output for " + input + " in " + state);
  }

  /** The operation a plan leaves in the history: none if it failed. */
  private List<Operation<I, O>> toOperation(Plan<I> plan, O output) {
    if (plan.fails) {
      return List.of();
    }
    if (plan.timesOut) {
      return List.of(Operation.timedOut(plan.client, plan.input, plan.invoke));
    }
    return List.of(new Operation<>(plan.client, plan.input, output, plan.invoke, plan.ret));
  }

  /** get, put, delete and cas on keys "x" and "y" (or just "x") with values 1 to 3. */
  static Workload<KvModel.Input<String, Integer>, Reply<Integer>> kv(int keys) {
    return new Workload<>() {
      @Override
      public KvModel.Input<String, Integer> randomInput(SplittableRandom random) {
        String key = random.nextInt(keys) == 0 ? "x" : "y";
        int value = 1 + random.nextInt(3);
        switch (random.nextInt(5)) {
          case 0:
          case 1:
            return KvModel.get(key);
          case 2:
            return KvModel.put(key, value);
          case 3:
            return random.nextInt(4) == 0 ? KvModel.delete(key) : KvModel.put(key, value);
          default:
            return random.nextInt(3) == 0
                ? KvModel.casIfAbsent(key, value)
                : KvModel.cas(key, 1 + random.nextInt(3), value);
        }
      }

      @Override
      public List<Reply<Integer>> outputs(KvModel.Input<String, Integer> input) {
        if (input instanceof KvModel.Get) {
          return List.of(Reply.absent(), Reply.found(1), Reply.found(2), Reply.found(3));
        }
        return input instanceof KvModel.Cas
            ? List.of(Reply.ok(), Reply.failed())
            : List.of(Reply.ok());
      }
    };
  }

  /** read, write and cas on a register starting at 0, with values 0 to 2. */
  static Workload<RegisterModel.Input<Integer>, Reply<Integer>> register() {
    return new Workload<>() {
      @Override
      public RegisterModel.Input<Integer> randomInput(SplittableRandom random) {
        switch (random.nextInt(3)) {
          case 0:
            return RegisterModel.read();
          case 1:
            return RegisterModel.write(random.nextInt(3));
          default:
            return RegisterModel.cas(random.nextInt(3), random.nextInt(3));
        }
      }

      @Override
      public List<Reply<Integer>> outputs(RegisterModel.Input<Integer> input) {
        if (input instanceof RegisterModel.Read) {
          return List.of(Reply.found(0), Reply.found(1), Reply.found(2));
        }
        return input instanceof RegisterModel.Cas
            ? List.of(Reply.ok(), Reply.failed())
            : List.of(Reply.ok());
      }
    };
  }
}

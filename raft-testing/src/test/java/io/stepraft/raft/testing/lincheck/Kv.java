package io.stepraft.raft.testing.lincheck;

import java.util.List;

/** Shorthands for key-value histories with String keys and Integer values. */
final class Kv {
  static final KvModel<String, Integer> MODEL = KvModel.empty();

  private Kv() {}

  static Operation<KvModel.Input<String, Integer>, Reply<Integer>> op(
      long client,
      long invoke,
      long ret,
      KvModel.Input<String, Integer> input,
      Reply<Integer> output) {
    return new Operation<>(client, input, output, invoke, ret);
  }

  static Operation<KvModel.Input<String, Integer>, Reply<Integer>> timedOut(
      long client, long invoke, KvModel.Input<String, Integer> input) {
    return Operation.timedOut(client, input, invoke);
  }

  @SafeVarargs
  static CheckResult<KvModel.Input<String, Integer>, Reply<Integer>> check(
      Operation<KvModel.Input<String, Integer>, Reply<Integer>>... ops) {
    return check(List.of(ops));
  }

  static CheckResult<KvModel.Input<String, Integer>, Reply<Integer>> check(
      List<Operation<KvModel.Input<String, Integer>, Reply<Integer>>> ops) {
    return LinearizabilityChecker.check(MODEL, History.of(ops), Budget.unlimited());
  }
}

package io.stepraft.raft.testing.lincheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of a history that touch one partition of a P-compositional model, in invocation
 * order.
 *
 * @param key the partition key; null for the single partition of a model that is not partitioned
 * @param operations the operations
 */
record Partition<I, O>(Object key, List<Operation<I, O>> operations) {
  /** Splits a history by the model's partition keys, smallest partitions first. */
  static <I, O> List<Partition<I, O>> split(Model<?, I, O> model, List<Operation<I, O>> ops) {
    Map<Object, List<Operation<I, O>>> byKey = new LinkedHashMap<>();
    for (Operation<I, O> op : ops) {
      byKey.computeIfAbsent(model.partitionKey(op.input()), k -> new ArrayList<>()).add(op);
    }
    List<Partition<I, O>> partitions = new ArrayList<>(byKey.size());
    for (Map.Entry<Object, List<Operation<I, O>>> entry : byKey.entrySet()) {
      List<Operation<I, O>> keyOps = entry.getValue();
      keyOps.sort(Comparator.comparingLong(Operation::invokeTime));
      partitions.add(new Partition<>(entry.getKey(), keyOps));
    }
    partitions.sort(Comparator.comparingInt(p -> p.operations().size()));
    return partitions;
  }

  /** How a report names the partition: " in partition k", or nothing. */
  String where() {
    return key == null ? "" : " in partition " + key;
  }
}

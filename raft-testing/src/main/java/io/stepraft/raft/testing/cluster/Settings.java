package io.stepraft.raft.testing.cluster;

import io.stepraft.raft.Config;
import io.stepraft.raft.testing.ReplicatedStateMachine;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

/** A {@link LocalCluster}'s settings, as its builder collected them. */
record Settings(
    String name,
    List<Long> founders,
    LongFunction<? extends ReplicatedStateMachine> stateMachines,
    NodeStorage.Provider storage,
    UnaryOperator<Config.Builder> raftConfig,
    long tickNanos,
    long snapshotEveryEntries,
    long entriesKeptAfterSnapshot,
    boolean serializeMessages,
    int linkQueueMax,
    int requestQueueMax,
    long requestTimeoutNanos,
    boolean asyncStorageWrites,
    long idleSpinNanos) {}

package io.stepraft.raft;

/**
 * A copy of the leader's view of one peer, as reported by {@link RawNode#status()}.
 *
 * @param match the highest index known to be replicated on the peer
 * @param next the next index the leader will send
 * @param state how the leader replicates to the peer
 * @param recentActive whether the peer was heard from in the current quorum-check period
 * @param paused whether the leader holds back appends to the peer
 * @param inflightMessages appends in flight, awaiting acknowledgement
 * @param inflightBytes payload bytes in flight
 * @param pendingSnapshot the index of the snapshot being sent, when in {@link
 *     ProgressState#SNAPSHOT}
 * @param learner whether the peer is a learner
 */
public record PeerProgress(
    long match,
    long next,
    ProgressState state,
    boolean recentActive,
    boolean paused,
    int inflightMessages,
    long inflightBytes,
    long pendingSnapshot,
    boolean learner) {}

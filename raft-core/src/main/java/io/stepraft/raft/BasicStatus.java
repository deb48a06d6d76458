package io.stepraft.raft;

import io.stepraft.raft.pb.HardState;

/**
 * A node's state without per-peer detail; cheap to take.
 *
 * @param id the node's id
 * @param hardState term, vote and commit index
 * @param softState leader and role
 * @param applied the highest index the host reported applied
 * @param leadTransferee the target of a leadership transfer in progress, or {@code 0}
 */
public record BasicStatus(
    long id, HardState hardState, SoftState softState, long applied, long leadTransferee) {}

package io.stepraft.raft;

/**
 * How the leader replicates to one follower.
 *
 * <pre>
 *            +--------------------------------------------------------+
 *            |                  snapshot sent                         |
 *            |                                                        v
 *  +-------------+  append acknowledged  +-------------+   needs compacted  +-------------+
 *  |    PROBE    | --------------------&gt; |  REPLICATE  |   entries          |  SNAPSHOT   |
 *  +-------------+ &lt;-------------------- +-------------+ -----------------&gt; +-------------+
 *         ^          rejection or                                                  |
 *         |          unreachable                                                   |
 *         +------------------------------------------------------------------------+
 *                        snapshot reported done or failed, or follower caught up
 * </pre>
 */
public enum ProgressState {
  /**
   * The leader sends at most one append per heartbeat interval until it learns the follower's
   * match.
   */
  PROBE,
  /** The leader streams appends optimistically, bounded by the inflight window. */
  REPLICATE,
  /** The leader sent a snapshot and sends nothing else until the follower applies it. */
  SNAPSHOT;

  static ProgressState of(io.stepraft.raft.tracker.Progress.State s) {
    return switch (s) {
      case PROBE -> PROBE;
      case REPLICATE -> REPLICATE;
      case SNAPSHOT -> SNAPSHOT;
    };
  }
}

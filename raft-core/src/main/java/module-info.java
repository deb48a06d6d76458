/**
 * stepraft's Raft state machine. Only the API package and the wire types are exported; the log, the
 * progress tracker and the quorum arithmetic stay internal.
 */
module io.stepraft.raft {
  requires transitive com.google.protobuf;
  requires org.slf4j;

  exports io.stepraft.raft;
  exports io.stepraft.raft.pb;
}

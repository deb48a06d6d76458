package io.stepraft.examples.kv;

import io.stepraft.raft.PeerProgress;
import io.stepraft.raft.Status;
import io.stepraft.raft.pb.ConfState;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /cluster}, built on the raft thread from the node's status. */
final class ClusterJson {
  private ClusterJson() {}

  static String of(RaftLoop l) {
    Status st = l.node().status();
    ConfState cs = l.confState();
    Map<Long, String> members = l.stateMachine().members();
    StringBuilder b = new StringBuilder(256);
    b.append("{\"id\":").append(st.id());
    b.append(",\"role\":").append(Json.quote(st.role().name().toLowerCase()));
    b.append(",\"leader\":").append(st.lead());
    b.append(",\"term\":").append(st.basic().hardState().getTerm());
    b.append(",\"commit\":").append(st.basic().hardState().getCommit());
    b.append(",\"applied\":").append(l.appliedIndex());
    b.append(",\"voters\":").append(ids(cs.getVotersList()));
    b.append(",\"learners\":").append(ids(cs.getLearnersList()));
    b.append(",\"alarms\":").append(l.quotaAlarm() ? "[\"NOSPACE\"]" : "[]");
    b.append(",\"members\":{");
    String sep = "";
    for (Map.Entry<Long, String> m : members.entrySet()) {
      b.append(sep).append(Json.quote(Long.toString(m.getKey()))).append(':');
      b.append(Json.quote(m.getValue()));
      sep = ",";
    }
    b.append('}');
    if (!st.progress().isEmpty()) {
      b.append(",\"progress\":{");
      sep = "";
      for (Map.Entry<Long, PeerProgress> e : st.progress().entrySet()) {
        PeerProgress p = e.getValue();
        b.append(sep).append(Json.quote(Long.toString(e.getKey()))).append(":{");
        b.append("\"match\":").append(p.match());
        b.append(",\"next\":").append(p.next());
        b.append(",\"state\":").append(Json.quote(p.state().name().toLowerCase()));
        b.append(",\"recentActive\":").append(p.recentActive());
        b.append(",\"learner\":").append(p.learner());
        b.append('}');
        sep = ",";
      }
      b.append('}');
    }
    return b.append("}\n").toString();
  }

  static String ids(List<Long> ids) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < ids.size(); i++) {
      b.append(i == 0 ? "" : ",").append(ids.get(i));
    }
    return b.append(']').toString();
  }
}

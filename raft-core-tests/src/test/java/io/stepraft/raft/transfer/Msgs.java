package io.stepraft.raft.transfer;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import io.stepraft.raft.testing.StepCluster;
import java.util.ArrayList;
import java.util.List;

/** Small queries over message lists for the transfer scenarios. */
final class Msgs {
  private Msgs() {}

  /** The messages of this type to this node. */
  static List<Message> of(List<Message> msgs, MessageType type, long to) {
    List<Message> out = new ArrayList<>();
    for (Message m : msgs) {
      if (m.getType() == type && m.getTo() == to) {
        out.add(m);
      }
    }
    return out;
  }

  /** How many messages of this type there are, whoever they go to. */
  static long count(List<Message> msgs, MessageType type) {
    return msgs.stream().filter(m -> m.getType() == type).count();
  }

  /** The position of the first message of this type, or -1. */
  static int firstIndexOf(List<Message> msgs, MessageType type) {
    for (int i = 0; i < msgs.size(); i++) {
      if (msgs.get(i).getType() == type) {
        return i;
      }
    }
    return -1;
  }

  /** Sends messages collected earlier and lets the cluster settle. */
  static void deliver(StepCluster c, List<Message> msgs) {
    c.send(msgs.toArray(new Message[0]));
  }

  /** The leader's transfer target as reported by its status, 0 when none. */
  static long transferee(StepCluster c, long id) {
    return c.node(id).raw().basicStatus().leadTransferee();
  }
}

package io.stepraft.raft.testing;

import io.stepraft.raft.pb.Message;
import io.stepraft.raft.pb.MessageType;
import java.util.List;

/** Messages for tests that play a peer by hand, and queries over the messages a node sent. */
public final class Messages {
  private Messages() {}

  /**
   * A message to be completed with the fields its type needs.
   *
   * @param type the message type
   * @param from the sender
   * @param to the recipient
   * @param term the sender's term (0 for a local or forwarded proposal)
   * @return a builder with these four fields set
   */
  public static Message.Builder message(MessageType type, long from, long to, long term) {
    return Message.newBuilder().setType(type).setFrom(from).setTo(to).setTerm(term);
  }

  /**
   * The messages of one type, in order.
   *
   * @param msgs the messages
   * @param type the type to keep
   * @return the messages of {@code type}
   */
  public static List<Message> ofType(List<Message> msgs, MessageType type) {
    return msgs.stream().filter(m -> m.getType() == type).toList();
  }

  /**
   * The messages of one type to one node, in order.
   *
   * @param msgs the messages
   * @param type the type to keep
   * @param to the recipient to keep
   * @return the messages of {@code type} to {@code to}
   */
  public static List<Message> ofType(List<Message> msgs, MessageType type, long to) {
    return msgs.stream().filter(m -> m.getType() == type && m.getTo() == to).toList();
  }

  /**
   * The messages of one type from one node to another, in order: out of every message a cluster
   * delivered, say.
   *
   * @param msgs the messages
   * @param type the type to keep
   * @param from the sender to keep
   * @param to the recipient to keep
   * @return the messages of {@code type} from {@code from} to {@code to}
   */
  public static List<Message> ofType(List<Message> msgs, MessageType type, long from, long to) {
    return msgs.stream()
        .filter(m -> m.getType() == type && m.getFrom() == from && m.getTo() == to)
        .toList();
  }

  /**
   * The position of the first message of one type: where it stands in the order the messages were
   * sent or delivered.
   *
   * @param msgs the messages
   * @param type the type to look for
   * @return the position of the first message of {@code type}
   * @throws AssertionError if there is none
   */
  public static int indexOfFirst(List<Message> msgs, MessageType type) {
    for (int i = 0; i < msgs.size(); i++) {
      if (msgs.get(i).getType() == type) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " in " + msgs);
  }
}

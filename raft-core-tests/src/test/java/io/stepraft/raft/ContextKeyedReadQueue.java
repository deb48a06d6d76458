package io.stepraft.raft;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.Message;
import io.stepraft.raft.quorum.JointConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A planted bug: the read queue stepraft had before issue 11, which keys reads by the host's
 * context. A heartbeat round carries a read's own context, and a quorum of acknowledgements of a
 * context confirms that read and every read queued before it. An acknowledgement of an earlier
 * round for a context that was answered and then queued again (a duplicated or retried
 * MsgReadIndex) then confirms reads queued after that round was sent: a stale read.
 */
final class ContextKeyedReadQueue implements ReadQueue {
  private record Pending(Read read, Set<Long> acks) {}

  private final Map<ByteString, Pending> pending = new HashMap<>();
  private final ArrayDeque<ByteString> order = new ArrayDeque<>();

  @Override
  public ByteString add(Message request, long index) {
    ByteString ctx = request.getEntries(0).getData();
    if (!pending.containsKey(ctx)) {
      pending.put(ctx, new Pending(new Read(request, index), new HashSet<>()));
      order.addLast(ctx);
    }
    return ctx;
  }

  @Override
  public ByteString heartbeatContext() {
    return order.peekLast();
  }

  @Override
  public List<Read> acknowledge(long voter, ByteString context, JointConfig voters) {
    Pending p = pending.get(context);
    if (p == null) {
      return List.of();
    }
    p.acks().add(voter);
    Map<Long, Boolean> votes = new HashMap<>();
    for (long id : p.acks()) {
      votes.put(id, Boolean.TRUE);
    }
    if (voters.voteResult(votes) != io.stepraft.raft.quorum.VoteResult.WON) {
      return List.of();
    }
    List<Read> done = new ArrayList<>();
    while (!order.isEmpty()) {
      ByteString head = order.pollFirst();
      done.add(pending.remove(head).read());
      if (head.equals(context)) {
        break;
      }
    }
    return done;
  }

  @Override
  public int size() {
    return order.size();
  }

  @Override
  public List<Message> clear() {
    List<Message> out = new ArrayList<>();
    for (ByteString ctx : order) {
      out.add(pending.get(ctx).read().request());
    }
    pending.clear();
    order.clear();
    return out;
  }
}

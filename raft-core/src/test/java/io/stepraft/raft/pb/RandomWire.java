package io.stepraft.raft.pb;

import com.google.protobuf.ByteString;
import java.util.SplittableRandom;

/**
 * Random wire values for property tests. Each scalar is unset, set to its default, or set to a
 * random value (small or using all 64 bits), so encodings with and without zeros both occur.
 */
final class RandomWire {

  private final SplittableRandom random;

  RandomWire(SplittableRandom random) {
    this.random = random;
  }

  /** A uint64: zero, small, or any 64-bit pattern (read as unsigned on the wire). */
  private long uint64() {
    switch (random.nextInt(4)) {
      case 0:
        return 0;
      case 1:
        return random.nextLong();
      default:
        return random.nextLong(1, 1000);
    }
  }

  private boolean present() {
    return random.nextInt(3) != 0;
  }

  private ByteString bytes() {
    byte[] b = new byte[random.nextInt(6)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return ByteString.copyFrom(b);
  }

  private <E> E pick(E[] values) {
    return values[random.nextInt(values.length)];
  }

  Message message(int depth) {
    Message.Builder b = Message.newBuilder();
    if (present()) b.setType(pick(MessageType.values()));
    if (present()) b.setTo(uint64());
    if (present()) b.setFrom(uint64());
    if (present()) b.setTerm(uint64());
    if (present()) b.setLogTerm(uint64());
    if (present()) b.setIndex(uint64());
    for (int i = random.nextInt(4); i > 0; i--) b.addEntries(entry());
    if (present()) b.setCommit(uint64());
    if (present()) b.setSnapshot(snapshot());
    if (present()) b.setReject(random.nextBoolean());
    if (present()) b.setRejectHint(uint64());
    if (present()) b.setContext(bytes());
    if (present()) b.setVote(uint64());
    for (int i = depth > 0 ? random.nextInt(3) : 0; i > 0; i--) b.addResponses(message(depth - 1));
    return b.build();
  }

  Entry entry() {
    Entry.Builder b = Entry.newBuilder();
    if (present()) b.setType(pick(EntryType.values()));
    if (present()) b.setTerm(uint64());
    if (present()) b.setIndex(uint64());
    if (present()) b.setData(bytes());
    return b.build();
  }

  Snapshot snapshot() {
    Snapshot.Builder b = Snapshot.newBuilder();
    if (present()) b.setData(bytes());
    if (present()) b.setMetadata(snapshotMetadata());
    return b.build();
  }

  SnapshotMetadata snapshotMetadata() {
    SnapshotMetadata.Builder b = SnapshotMetadata.newBuilder();
    if (present()) b.setConfState(confState());
    if (present()) b.setIndex(uint64());
    if (present()) b.setTerm(uint64());
    return b.build();
  }

  ConfState confState() {
    ConfState.Builder b = ConfState.newBuilder();
    for (int i = random.nextInt(4); i > 0; i--) b.addVoters(uint64());
    for (int i = random.nextInt(3); i > 0; i--) b.addLearners(uint64());
    for (int i = random.nextInt(3); i > 0; i--) b.addVotersOutgoing(uint64());
    for (int i = random.nextInt(2); i > 0; i--) b.addLearnersNext(uint64());
    if (present()) b.setAutoLeave(random.nextBoolean());
    return b.build();
  }

  HardState hardState() {
    HardState.Builder b = HardState.newBuilder();
    if (present()) b.setTerm(uint64());
    if (present()) b.setVote(uint64());
    if (present()) b.setCommit(uint64());
    return b.build();
  }

  ConfChange confChange() {
    ConfChange.Builder b = ConfChange.newBuilder();
    if (present()) b.setId(uint64());
    if (present()) b.setType(pick(ConfChangeType.values()));
    if (present()) b.setNodeId(uint64());
    if (present()) b.setContext(bytes());
    return b.build();
  }

  ConfChangeV2 confChangeV2() {
    ConfChangeV2.Builder b = ConfChangeV2.newBuilder();
    if (present()) b.setTransition(pick(ConfChangeTransition.values()));
    for (int i = random.nextInt(4); i > 0; i--) {
      ConfChangeSingle.Builder c = ConfChangeSingle.newBuilder();
      if (present()) c.setType(pick(ConfChangeType.values()));
      if (present()) c.setNodeId(uint64());
      b.addChanges(c);
    }
    if (present()) b.setContext(bytes());
    return b.build();
  }
}

package io.stepraft.raft.storage;

import static io.stepraft.raft.storage.WalFixture.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Entry;
import io.stepraft.raft.pb.HardState;
import io.stepraft.raft.storage.WalRecord.SnapshotRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay against a naive model, over seeded random histories of two groups in one WAL of small
 * segments: appends that overwrite an unsnapshotted tail, snapshots taken and received, hard
 * states, releases and reopens. After every reopen each group replays to what the model holds after
 * its latest snapshot.
 */
class ReplayModelTest {
  @TempDir Path root;

  private static final ConfState VOTERS = ConfState.newBuilder().addVoters(1).build();

  /** One group as MemoryStorage would hold it: a snapshot index, the entries after it. */
  private static final class Model {
    long snapshotIndex;
    long snapshotTerm;
    final List<Entry> entries = new ArrayList<>(); // indexes snapshotIndex + 1, ...
    HardState hardState;
    long term = 1;

    long last() {
      return snapshotIndex + entries.size();
    }
  }

  @Test
  void replayMatchesTheModelOverRandomHistories() {
    for (int seed = 0; seed < 200; seed++) {
      check(seed);
    }
  }

  private void check(int seed) {
    Random random = new Random(seed);
    Path dir = root.resolve("seed-" + seed);
    Model[] models = {null, new Model(), new Model()};
    Wal wal = open(dir);
    for (int op = 0; op < 80; op++) {
      long g = 1 + random.nextInt(2);
      Model m = models[(int) g];
      int kind = random.nextInt(20);
      if (kind < 12) {
        long from = m.last() + 1;
        if (!m.entries.isEmpty() && random.nextInt(4) == 0) {
          from = m.snapshotIndex + 1 + random.nextInt(m.entries.size());
          m.term++;
        }
        List<Entry> batch = new ArrayList<>();
        for (long i = from, n = from + random.nextInt(4); i <= n; i++) {
          batch.add(entry(i, m.term, "g" + g + "-" + i + "-" + "d".repeat(random.nextInt(200))));
        }
        m.entries.subList((int) (from - m.snapshotIndex - 1), m.entries.size()).clear();
        m.entries.addAll(batch);
        m.hardState = HardState.newBuilder().setTerm(m.term).setCommit(m.snapshotIndex).build();
        wal.save(g, null, batch, m.hardState, random.nextBoolean());
      } else if (kind < 15 && !m.entries.isEmpty()) {
        int at = random.nextInt(m.entries.size());
        Entry e = m.entries.get(at);
        m.entries.subList(0, at + 1).clear();
        m.snapshotIndex = e.getIndex();
        m.snapshotTerm = e.getTerm();
        wal.save(
            g,
            new SnapshotRecord(g, false, e.getIndex(), e.getTerm(), VOTERS),
            List.of(),
            null,
            true);
      } else if (kind < 16) {
        m.term++;
        m.snapshotIndex = m.last() + 1 + random.nextInt(5);
        m.snapshotTerm = m.term;
        m.entries.clear();
        m.hardState = HardState.newBuilder().setTerm(m.term).setCommit(m.snapshotIndex).build();
        wal.save(
            g,
            new SnapshotRecord(g, true, m.snapshotIndex, m.term, VOTERS),
            List.of(),
            m.hardState,
            true);
      } else if (kind < 18) {
        wal.release();
      } else {
        wal.close();
        wal = open(dir);
        for (long id = 1; id <= 2; id++) {
          compare(seed, id, models[(int) id], wal.groups().get(id));
        }
      }
    }
    wal.close();
  }

  private static void compare(int seed, long id, Model m, GroupLog g) {
    String where = "seed " + seed + ", group " + id;
    if (g == null) {
      assertEquals(0, m.last(), where + ": the group is not in the WAL");
      return;
    }
    List<SnapshotRecord> snaps = g.snapshots();
    long replayedSnapshot = snaps.isEmpty() ? 0 : snaps.get(snaps.size() - 1).index();
    assertEquals(m.snapshotIndex, replayedSnapshot, where);
    assertEquals(m.entries, g.entriesAfter(m.snapshotIndex), where);
    assertEquals(m.hardState, g.hardState(), where);
  }

  private static Wal open(Path dir) {
    return Wal.open(dir, FileIo.SYSTEM, WalFixture.SEGMENT_BYTES, false, WalFixture.META);
  }
}

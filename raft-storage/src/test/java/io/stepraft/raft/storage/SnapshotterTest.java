package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.stepraft.raft.pb.ConfState;
import io.stepraft.raft.pb.Snapshot;
import io.stepraft.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: written atomically, damage of any kind makes a load skip the file. */
class SnapshotterTest {
  @TempDir Path dir;

  private static Snapshot snapshot(long term, long index, String data) {
    return Snapshot.newBuilder()
        .setMetadata(
            SnapshotMetadata.newBuilder()
                .setTerm(term)
                .setIndex(index)
                .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2)))
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }

  @Test
  void aSavedSnapshotLoadsBackAndLeavesNoTemporaryFile() throws IOException {
    Snapshotter s = new Snapshotter(dir, FileIo.SYSTEM, true);
    s.save(snapshot(3, 42, "state"));
    assertEquals(snapshot(3, 42, "state"), s.load(3, 42));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          java.util.List.of("0000000000000003-000000000000002a.snap"),
          files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void everyBitFlippedAndEveryTruncationMakesTheLoadSkipTheFile() throws IOException {
    Snapshotter s = new Snapshotter(dir, FileIo.SYSTEM, true);
    s.save(snapshot(3, 42, "some state"));
    Path file = s.path(3, 42);
    byte[] original = Files.readAllBytes(file);
    for (int bit = 0; bit < original.length * 8; bit++) {
      byte[] damaged = original.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(file, damaged);
      assertNull(s.load(3, 42), "bit " + bit);
    }
    for (int cut = 0; cut < original.length; cut++) {
      Files.write(file, Arrays.copyOf(original, cut));
      assertNull(s.load(3, 42), "cut at " + cut);
    }
  }

  @Test
  void aFileUnderAnotherSnapshotsNameIsSkipped() throws IOException {
    Snapshotter s = new Snapshotter(dir, FileIo.SYSTEM, true);
    s.save(snapshot(3, 42, "x"));
    Files.move(s.path(3, 42), s.path(3, 43));
    assertNull(s.load(3, 43));
  }

  @Test
  void retentionKeepsTheNewestAndClearsTemporaryFiles() throws IOException {
    Snapshotter s = new Snapshotter(dir, FileIo.SYSTEM, true);
    for (long i = 1; i <= 5; i++) {
      s.save(snapshot(1, i * 10, "s" + i));
    }
    Files.write(dir.resolve(Snapshotter.fileName(1, 60) + ".tmp"), new byte[] {1});
    s.retain(2);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          java.util.List.of(Snapshotter.fileName(1, 40), Snapshotter.fileName(1, 50)),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(s.load(1, 50) != null);
  }
}

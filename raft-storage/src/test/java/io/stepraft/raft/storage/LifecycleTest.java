package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file, and every call after close. */
class LifecycleTest {
  @TempDir Path dir;

  @Test
  void aSecondOpenOfTheSameDirectoryFailsClearlyUntilTheFirstCloses() {
    StorageOptions o = StorageOptions.builder().build();
    try (DurableStorage first = DurableStorage.open(dir, o)) {
      StorageLockedException e =
          assertThrows(StorageLockedException.class, () -> DurableStorage.open(dir, o));
      assertTrue(e.getMessage().contains("LOCK"), e.getMessage());
    }
    DurableStorage.open(dir, o).close();
  }

  @Test
  void everyCallAfterCloseThrowsIllegalStateAndCloseTwiceIsHarmless() {
    DurableStorage ds = DurableStorage.open(dir, StorageOptions.builder().build());
    ds.close();
    ds.close();
    List<Consumer<DurableStorage>> calls =
        List.of(
            DurableStorage::raftStorage,
            DurableStorage::isEmpty,
            DurableStorage::metadata,
            DurableStorage::snapshotData,
            s -> s.compact(1),
            s -> s.createSnapshot(1, null, ByteString.EMPTY),
            s -> s.save(null));
    for (Consumer<DurableStorage> call : calls) {
      assertThrows(IllegalStateException.class, () -> call.accept(ds));
    }
  }

  @Test
  void optionsOutOfRangeAreRejectedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StorageOptions.builder().segmentSizeBytes(100).build());
    assertTrue(e.getMessage().contains("100"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StorageOptions.builder().snapshotsRetained(0).build());
    assertTrue(e.getMessage().contains("0"), e.getMessage());
  }
}

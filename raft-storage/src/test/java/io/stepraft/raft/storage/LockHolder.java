package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A separate process for {@link CrossProcessLockTest}: opens the data directory given as its
 * argument, says "open" on stdout, and closes it when its stdin closes.
 */
final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    try (DurableStorage ds =
        DurableStorage.open(Path.of(args[0]), StorageOptions.builder().build())) {
      System.out.println("open");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Wait for the parent to close our stdin.
      }
    }
  }
}

package io.stepraft.raft.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The lock file holds against another process, and is free again once that process is gone. */
@Timeout(60)
class CrossProcessLockTest {
  @TempDir Path dir;

  @Test
  void anotherProcessHoldingTheDirectoryMakesOpenFailUntilItExits() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process holder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                LockHolder.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("open", out.readLine());
      StorageLockedException e =
          assertThrows(
              StorageLockedException.class,
              () -> DurableStorage.open(dir, StorageOptions.builder().build()));
      assertTrue(e.getMessage().contains("another process"), e.getMessage());
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder exits");
      assertEquals(0, holder.exitValue());
    } finally {
      holder.destroyForcibly();
    }
    DurableStorage.open(dir, StorageOptions.builder().build()).close();
  }
}

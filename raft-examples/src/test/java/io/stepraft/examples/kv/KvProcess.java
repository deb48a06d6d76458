package io.stepraft.examples.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node as a real process running {@code stepraft-kv.jar}, its output appended to a log file:
 * started, killed with SIGKILL, paused with SIGSTOP and resumed, restarted on the same data.
 */
final class KvProcess {
  private final long id;
  private final List<String> command;
  private final Path log;
  private Process process;
  private boolean paused;

  KvProcess(long id, Path jar, String peers, String http, Path dataDir, Path log, int tickMs) {
    this.id = id;
    this.log = log;
    this.command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "--id",
            Long.toString(id),
            "--peers",
            peers,
            "--http",
            http,
            "--data-dir",
            dataDir.toString(),
            "--tick-ms",
            Integer.toString(tickMs),
            "--request-timeout-ms",
            "2000",
            "--snapshot-entries",
            "200",
            "--catch-up-entries",
            "50");
  }

  long id() {
    return id;
  }

  synchronized void start() {
    try {
      process =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized boolean paused() {
    return paused;
  }

  /** SIGKILL, and wait for the process to be gone. */
  synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      paused = false;
    }
  }

  /** SIGSTOP; false if {@code kill} is not available. */
  synchronized boolean pause() {
    if (!alive() || !signal("-STOP")) {
      return false;
    }
    paused = true;
    return true;
  }

  synchronized void resume() {
    if (paused && alive()) {
      signal("-CONT");
    }
    paused = false;
  }

  /** SIGTERM and wait; returns the exit code, or -1 if it did not exit in time (then SIGKILL). */
  synchronized int stop() throws InterruptedException {
    if (process == null) {
      return 0;
    }
    resume();
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  private boolean signal(String sig) {
    try {
      Process p = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of the node's log, for a failure report. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

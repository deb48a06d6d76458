package io.stepraft.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every flag is validated before anything starts, with a message that names it. */
class MainTest {
  @TempDir Path dir;

  private static final String[] GOOD = {
    "--id", "1", "--peers", "1=127.0.0.1:1", "--http", "127.0.0.1:2", "--data-dir", "d"
  };

  private static String run(int expectedExit, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(out));
    assertEquals(expectedExit, cl.execute(args), err.toString());
    return err + out.toString();
  }

  private static String[] with(String... extra) {
    String[] all = new String[GOOD.length + extra.length];
    System.arraycopy(GOOD, 0, all, 0, GOOD.length);
    System.arraycopy(extra, 0, all, GOOD.length, extra.length);
    return all;
  }

  @Test
  void helpListsTheFlags() {
    String help = run(0, "--help");
    for (String flag :
        new String[] {
          "--id",
          "--peers",
          "--http",
          "--data-dir",
          "--join",
          "--tick-ms",
          "--election-ticks",
          "--heartbeat-ticks",
          "--snapshot-entries",
          "--max-key-bytes",
          "--max-value-bytes",
          "--request-timeout-ms",
          "--quota-bytes",
          "--restore",
          "--peer-cert",
          "--client-cert"
        }) {
      assertTrue(help.contains(flag), flag);
    }
  }

  @Test
  void badFlagsExitWith2AndSayWhy() {
    assertTrue(run(2).contains("Missing required options"));
    assertTrue(run(2, with("--tick-ms", "0")).contains("--tick-ms must be in [1, 60000], was 0"));
    assertTrue(run(2, with("--tick-ms", "x")).contains("--tick-ms"));
    assertTrue(
        run(2, with("--election-ticks", "1"))
            .contains("--election-ticks (1) must be greater than --heartbeat-ticks (1)"));
    assertTrue(run(2, with("--max-key-bytes", "0")).contains("--max-key-bytes"));
    assertTrue(run(2, with("--request-timeout-ms", "5")).contains("--request-timeout-ms"));
    assertTrue(run(2, with("--quota-bytes", "-1")).contains("--quota-bytes"));
    assertTrue(run(2, with("--peer-cert", "c.pem")).contains("--peer-cert and --peer-key"));
    assertTrue(
        run(2, "--id", "2", "--peers", "1=h:1", "--http", "h:2", "--data-dir", "d")
            .contains("--peers must include this node's id 2"));
    assertTrue(
        run(2, "--id", "1", "--peers", "1=h:1", "--http", "nowhere", "--data-dir", "d")
            .contains("--http: expected host:port"));
  }

  @Test
  void aDamagedBackupIsRefusedBeforeStarting() throws Exception {
    Path file = dir.resolve("backup.skv");
    Files.write(file, new byte[] {1, 2, 3});
    assertTrue(run(2, with("--restore", file.toString())).contains("not a stepraft-kv backup"));
    assertTrue(
        run(2, with("--restore", dir.resolve("missing").toString())).contains("cannot read"));
  }
}

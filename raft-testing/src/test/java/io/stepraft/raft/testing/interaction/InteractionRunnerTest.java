package io.stepraft.raft.testing.interaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepraft.raft.Describe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The runner: golden-output checks, the diff it fails with, rewrite mode and script errors. */
class InteractionRunnerTest {
  @TempDir Path dir;

  private static final String SINGLE_NODE =
      "add-nodes 1 voters=(1) index=2\n"
          + "----\n"
          + "INFO 1 switched to configuration Voters:[1]\n"
          + "INFO 1 became FOLLOWER at term 1\n"
          + "\n";

  private Path script(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  /** Runs a script that must fail as malformed and returns the failure's message. */
  private String scriptError(String text) throws IOException {
    Path p = script("bad.txt", text);
    return assertThrows(
            AssertionError.class, () -> InteractionRunner.run(p, Describe::bytes, false))
        .getMessage();
  }

  @Test
  void aMatchingScriptPasses() throws IOException {
    Path p =
        script("ok.txt", SINGLE_NODE + "campaign 1\n----\nINFO 1 became CANDIDATE at term 2\n");
    InteractionRunner.run(p, Describe::bytes, false);
  }

  @Test
  void aWrongExpectedOutputFailsWithADiffNamingTheCommand() throws IOException {
    String source =
        SINGLE_NODE
            + "# A single voter elects itself.\n"
            + "campaign 1\n"
            + "----\n"
            + "INFO 1 became LEADER at term 2\n"
            + "\n"
            + "raft-state\n"
            + "----\n"
            + "1: CANDIDATE (Voter) Term:2 Lead:0\n";
    Path p = script("wrong.txt", source);

    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class, () -> InteractionRunner.run(p, Describe::bytes, false));

    assertEquals(
        "interaction script wrong.txt: the output of 1 of 3 commands differs from the expected"
            + " output (to accept the actual output, run again with -Dinteraction.rewrite=true and"
            + " review the diff)\n"
            + "\n"
            + "wrong.txt:7: campaign 1\n"
            + "--- expected\n"
            + "+++ actual\n"
            + "-INFO 1 became LEADER at term 2\n"
            + "+INFO 1 became CANDIDATE at term 2\n",
        e.getMessage());
    // The whole script as written and as it would be rewritten, for an IDE's diff view.
    assertEquals(source, e.getExpected().getStringRepresentation());
    assertEquals(
        source.replace("LEADER at term 2", "CANDIDATE at term 2"),
        e.getActual().getStringRepresentation());
    assertEquals(source, Files.readString(p), "a failing run leaves the script alone");
  }

  @Test
  void theDiffShowsOnlyTheChangedLinesAndTheirContext() {
    String expected = "a\nb\nc\nd\ne\nf\ng\nh";
    String actual = "a\nb\nc\nd\nE\nf\ng\nh\ni";
    assertEquals(
        "--- expected\n+++ actual\n...\n c\n d\n-e\n+E\n f\n g\n h\n+i\n",
        LineDiff.diff(expected, actual));
  }

  @Test
  void rewriteModeWritesTheActualOutputsAndKeepsEverythingElse() throws IOException {
    String source =
        "# Header comment.\n"
            + "\n"
            + "add-nodes 1 voters=(1) index=2\n"
            + "----\n"
            + "stale output\n"
            + "\n"
            + "# Before campaign.\n"
            + "campaign 1\n"
            + "----\n"
            + "\n"
            + "\n"
            + "raft-state\n"
            + "----\n";
    Path p = script("rewrite.txt", source);

    InteractionRunner.run(p, Describe::bytes, true);

    assertEquals(
        "# Header comment.\n"
            + "\n"
            + "add-nodes 1 voters=(1) index=2\n"
            + "----\n"
            + "INFO 1 switched to configuration Voters:[1]\n"
            + "INFO 1 became FOLLOWER at term 1\n"
            + "\n"
            + "# Before campaign.\n"
            + "campaign 1\n"
            + "----\n"
            + "INFO 1 became CANDIDATE at term 2\n"
            + "\n"
            + "\n"
            + "raft-state\n"
            + "----\n"
            + "1: CANDIDATE (Voter) Term:2 Lead:0\n",
        Files.readString(p));
    InteractionRunner.run(p, Describe::bytes, false);
  }

  @Test
  void anOutputWithBlankLinesIsWrittenBetweenDoubledSeparators() {
    String source = "cmd 1\n----\n----\nfirst\n\nsecond\n----\n----\n\nother\n----\nok\n";
    Script s = Script.parse("long.txt", source);
    assertEquals(2, s.blocks().size());
    assertEquals("first\n\nsecond", s.blocks().get(0).expected());
    assertEquals("ok", s.blocks().get(1).expected());
    assertEquals(source, s.rewrite(List.of("first\n\nsecond", "ok")));
    assertEquals(
        "cmd 1\n----\nsingle\n\nother\n----\n----\nx\n\ny\n----\n----\n",
        s.rewrite(List.of("single", "x\n\ny")));
  }

  @Test
  void aCustomDataFormatterRendersTheEntries() throws IOException {
    Path p =
        script(
            "formatter.txt",
            "log-level none\n----\n\n"
                + "add-nodes 1 voters=(1) index=2\n----\n\n"
                + "campaign 1\n----\n\n"
                + "stabilize\n----\n\n"
                + "propose 1 put-k\n----\n\n"
                + "stabilize\n----\n\n"
                + "raft-log 1\n----\n");
    InteractionRunner.run(
        p, data -> "<" + data.toStringUtf8().toUpperCase(Locale.ROOT) + ">", true);
    assertTrue(Files.readString(p).contains("2/4 EntryNormal <PUT-K>\n"), Files.readString(p));
  }

  @Test
  void anUnknownCommandNamesTheFileAndLine() throws IOException {
    String message = scriptError(SINGLE_NODE + "frobnicate 1\n----\nok\n");
    assertTrue(
        message.startsWith("bad.txt:6: frobnicate 1: unknown command frobnicate; "), message);
  }

  @Test
  void aBadArgumentNamesTheUsage() throws IOException {
    String message = scriptError(SINGLE_NODE + "campaign 1 fast=true\n----\nok\n");
    assertEquals(
        "bad.txt:6: campaign 1 fast=true: unknown argument fast=...; campaign takes no key=value"
            + " arguments (usage: campaign ID)",
        message);
  }

  @Test
  void aMissingArgumentNamesTheUsage() throws IOException {
    String message = scriptError(SINGLE_NODE + "compact 1\n----\nok\n");
    assertEquals(
        "bad.txt:6: compact 1: compact takes 2 positional arguments, got 1"
            + " (usage: compact ID INDEX)",
        message);
  }

  @Test
  void aMissingNodeIsAScriptError() throws IOException {
    String message = scriptError(SINGLE_NODE + "propose 7 x\n----\nok\n");
    assertEquals(
        "bad.txt:6: propose 7 x: no node 7; the nodes are [1] (usage: propose ID DATA)", message);
  }

  @Test
  void aCommandWithoutSeparatorNamesTheLine() throws IOException {
    String message = scriptError("# comment\ncampaign 1\nstabilize\n----\n");
    assertEquals(
        "bad.txt:3: expected ---- after the command on line 2, found 'stabilize'", message);
  }

  @Test
  void raftErrorsArePrintedAsOutput() throws IOException {
    Path p =
        script(
            "dropped.txt",
            SINGLE_NODE
                + "propose 1 x\n----\n"
                + "error: proposal dropped (NO_LEADER): 1 knows no leader at term 1\n");
    InteractionRunner.run(p, Describe::bytes, false);
  }

  @Test
  void argumentsAreWordsQuotedStringsOrLists() {
    Command c = Command.parse("cmd 1 \"two words\" voters=(1, 2,3) empty=() s=\"a \\\"b\\\"\"");
    assertEquals("cmd", c.name());
    assertEquals(List.of("1", "two words"), c.positional());
    assertEquals(List.of(1L, 2L, 3L), c.numbers("voters"));
    assertEquals(List.of(), c.numbers("empty"));
    assertEquals("a \"b\"", c.string("s", null));
    assertThrows(IllegalArgumentException.class, () -> Command.parse("cmd voters=(1,2"));
    assertThrows(IllegalArgumentException.class, () -> Command.parse("cmd \"open"));
    assertThrows(IllegalArgumentException.class, () -> Command.parse("cmd a=1 a=2"));
  }
}

package io.stepraft.raft.testing.interaction;

import com.google.protobuf.ByteString;
import io.stepraft.raft.Describe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * Runs an interaction script against fresh in-process nodes and checks its golden output: every
 * command's output must equal the expected output written under it. Call it from a JUnit test:
 *
 * <pre>{@code
 * @Test
 * void leaderElection() {
 *   InteractionRunner.run(Path.of("src/test/resources/interaction/election.txt"));
 * }
 * }</pre>
 *
 * <p>A mismatch fails with an {@link AssertionFailedError} whose message names each differing
 * command (file and line) with a line diff of its output, and whose expected and actual values are
 * the whole script as written and as it would be rewritten, for an IDE's diff view. An error in the
 * script itself (an unknown command, a missing node) fails with the file, line and command.
 *
 * <p><b>Rewrite mode</b>: with the system property {@value #REWRITE_PROPERTY} set to {@code true}
 * (e.g. {@code mvn test -Dinteraction.rewrite=true}), the runner writes the actual outputs into the
 * script in place instead of comparing, keeping commands, comments and layout; review the change
 * with {@code git diff}, since the golden output documents how raft behaves. Pass a path inside the
 * source tree (not a copy on the class path) for this to update the file under version control.
 *
 * <p>The script format and the commands are described in the package documentation and in {@code
 * docs/testing.md}.
 */
public final class InteractionRunner {
  /** The system property that turns on rewrite mode: {@code -Dinteraction.rewrite=true}. */
  public static final String REWRITE_PROPERTY = "interaction.rewrite";

  private InteractionRunner() {}

  /**
   * Runs the script and checks its output, or rewrites it in rewrite mode. Entry data is printed
   * with {@link Describe#bytes}.
   *
   * @param script the script file, UTF-8
   * @throws AssertionFailedError if an output differs from the expected one
   * @throws AssertionError if the script is malformed or a command fails
   * @throws UncheckedIOException if the file cannot be read or rewritten
   */
  public static void run(Path script) {
    run(script, Describe::bytes);
  }

  /**
   * Runs the script like {@link #run(Path)}, printing the data of normal entries with {@code
   * dataFormatter} (to show the application's own commands readably).
   *
   * @param script the script file, UTF-8
   * @param dataFormatter renders the data of a normal entry
   */
  public static void run(Path script, Function<ByteString, String> dataFormatter) {
    run(script, dataFormatter, Boolean.getBoolean(REWRITE_PROPERTY));
  }

  static void run(Path script, Function<ByteString, String> dataFormatter, boolean rewrite) {
    Objects.requireNonNull(dataFormatter, "dataFormatter");
    String source;
    try {
      source = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read interaction script " + script, e);
    }
    Script parsed = parse(script.getFileName().toString(), source);
    List<String> actual = execute(parsed, dataFormatter);
    String rewritten = parsed.rewrite(actual);
    if (rewrite) {
      if (!rewritten.equals(source)) {
        try {
          Files.writeString(script, rewritten, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot rewrite interaction script " + script, e);
        }
      }
      return;
    }
    check(parsed, actual, source, rewritten);
  }

  private static Script parse(String name, String source) {
    try {
      return Script.parse(name, source);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /**
   * Runs every block of the script on a fresh environment and returns the outputs, in block order;
   * a command without output prints {@code ok}.
   *
   * @throws AssertionError naming the block when the script is malformed or a command fails
   */
  static List<String> execute(Script script, Function<ByteString, String> dataFormatter) {
    InteractionEnv env = new InteractionEnv(dataFormatter);
    List<String> outputs = new ArrayList<>(script.blocks().size());
    for (Script.Block block : script.blocks()) {
      String where = script.name() + ":" + block.line() + ": " + block.command() + ": ";
      try {
        Commands.run(env, Command.parse(block.command()));
      } catch (IllegalArgumentException e) {
        throw new AssertionError(where + e.getMessage() + printedSoFar(env), e);
      } catch (RuntimeException e) {
        throw new AssertionError(where + "failed: " + e + printedSoFar(env), e);
      }
      String out = env.out().take();
      outputs.add(out.isEmpty() ? "ok" : out);
    }
    return outputs;
  }

  private static String printedSoFar(InteractionEnv env) {
    String out = env.out().take();
    return out.isEmpty() ? "" : "\noutput before the failure:\n" + out;
  }

  private static void check(Script script, List<String> actual, String source, String rewritten) {
    StringBuilder report = new StringBuilder();
    int differing = 0;
    for (int i = 0; i < actual.size(); i++) {
      Script.Block block = script.blocks().get(i);
      String expected = normalize(block.expected());
      String got = normalize(actual.get(i));
      if (expected.equals(got)) {
        continue;
      }
      differing++;
      report
          .append('\n')
          .append(script.name())
          .append(':')
          .append(block.line())
          .append(": ")
          .append(block.command())
          .append('\n')
          .append(LineDiff.diff(expected, got));
    }
    if (differing == 0) {
      return;
    }
    String header =
        "interaction script "
            + script.name()
            + ": the output of "
            + differing
            + " of "
            + actual.size()
            + " commands differs from the expected output (to accept the actual output, run"
            + " again with -D"
            + REWRITE_PROPERTY
            + "=true and review the diff)\n";
    throw new AssertionFailedError(header + report, source, rewritten);
  }

  /** Trailing whitespace on a line is not significant (editors strip it). */
  private static String normalize(String text) {
    return text.lines().map(String::stripTrailing).reduce((x, y) -> x + "\n" + y).orElse("");
  }
}

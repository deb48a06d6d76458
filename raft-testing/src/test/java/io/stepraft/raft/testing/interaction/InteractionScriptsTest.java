package io.stepraft.raft.testing.interaction;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every interaction script under {@code src/test/resources/interaction/} as a test of its own
 * and checks its golden output; {@code -Dinteraction.rewrite=true} rewrites the outputs instead.
 */
class InteractionScriptsTest {
  private static final Path SCRIPTS = Path.of("src/test/resources/interaction");

  @TestFactory
  Stream<DynamicTest> everyScript() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      scripts = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertFalse(scripts.isEmpty(), "no scripts in " + SCRIPTS.toAbsolutePath());
    return scripts.stream()
        .map(
            p ->
                DynamicTest.dynamicTest(
                    p.getFileName().toString(), () -> InteractionRunner.run(p)));
  }
}

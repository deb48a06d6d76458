package io.stepraft.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public declaration of the published API carries a Javadoc comment: raft-core's API package
 * and every package of raft-testing. (javac's doclint checks the comments' syntax in the build;
 * this checks that they exist.)
 */
class PublicApiDocumentedTest {
  private static final Pattern PUBLIC_DECL =
      Pattern.compile(
          "^\\s*public\\s+(?!.*=).*[({]\\s*$|^\\s*public\\s+static\\s+final\\s+.*=.*;\\s*$");

  @Test
  void everyPublicDeclarationOfRaftCoresApiPackageIsDocumented() throws IOException {
    assertDocumented(Files.list(Path.of("../raft-core/src/main/java/io/stepraft/raft")), 100);
  }

  @Test
  void everyPublicDeclarationOfRaftTestingIsDocumented() throws IOException {
    assertDocumented(
        Files.walk(Path.of("../raft-testing/src/main/java/io/stepraft/raft/testing")), 200);
  }

  private static void assertDocumented(Stream<Path> sources, int atLeast) throws IOException {
    List<String> undocumented = new ArrayList<>();
    int checked = 0;
    try (sources) {
      for (Path f : sources.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (!PUBLIC_DECL.matcher(lines.get(i)).find()) {
            continue;
          }
          checked++;
          int j = i - 1;
          boolean overrides = false;
          while (j >= 0 && (lines.get(j).isBlank() || lines.get(j).trim().startsWith("@"))) {
            overrides |= lines.get(j).trim().equals("@Override"); // inherits its documentation
            j--;
          }
          if (!overrides && (j < 0 || !lines.get(j).trim().endsWith("*/"))) {
            undocumented.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertTrue(
        checked > atLeast,
        "the scan found only " + checked + " public declarations; is the path right?");
    assertEquals(List.of(), undocumented);
  }
}

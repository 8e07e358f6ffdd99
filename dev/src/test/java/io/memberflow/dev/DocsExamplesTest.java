package io.memberflow.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The docs show the code the tests run: each region between {@code // docs:begin NAME} and {@code
 * // docs:end NAME} in a test's source appears in its page verbatim (dedented), and every Java
 * import the backend page lists is one {@link io.memberflow.dev.connections.BackendClientTest}
 * compiles with.
 */
class DocsExamplesTest {

  private static final Path DOCS = Path.of("..", "docs");
  private static final Path JAVA_EXAMPLE =
      Path.of("src/test/java/io/memberflow/dev/connections/BackendClientTest.java");
  private static final Path JS_EXAMPLES = Path.of("..", "sdk", "js", "e2e");

  /** Each page and the sources whose regions it shows, with the regions each must have. */
  private static final Map<String, Map<Path, List<String>>> PAGES =
      Map.of(
          "backend.md",
          Map.of(
              JAVA_EXAMPLE,
              List.of("java-client", "java-start", "java-read", "java-webhook"),
              JS_EXAMPLES.resolve("integrator.ts"),
              List.of("backend")),
          "frontend.md",
          Map.of(
              JS_EXAMPLES.resolve("site/connect.ts"), List.of("frontend"),
              JS_EXAMPLES.resolve("site/react.tsx"), List.of("react"),
              JS_EXAMPLES.resolve("site/app.ts"), List.of("app")));

  @Test
  void eachPageShowsTheMarkedRegionsVerbatim() throws IOException {
    for (var page : PAGES.entrySet()) {
      String text = Files.readString(DOCS.resolve(page.getKey()));
      for (var source : page.getValue().entrySet()) {
        Map<String, String> regions = regions(Files.readAllLines(source.getKey()));
        assertThat(regions).containsOnlyKeys(source.getValue());
        regions.forEach(
            (name, code) ->
                assertThat(text)
                    .as(
                        "docs/%s holds region %s of %s verbatim",
                        page.getKey(), name, source.getKey())
                    .contains(code));
      }
    }
  }

  @Test
  void theBackendPageImportsOnlyWhatTheJavaExampleImports() throws IOException {
    List<String> source = Files.readAllLines(JAVA_EXAMPLE);
    List<String> imports = new ArrayList<>();
    boolean java = false;
    for (String line : Files.readAllLines(DOCS.resolve("backend.md"))) {
      if (line.startsWith("```")) {
        java = line.equals("```java");
      } else if (java && line.startsWith("import ")) {
        imports.add(line);
      }
    }

    assertThat(imports).isNotEmpty();
    assertThat(source).containsAll(imports);
  }

  /**
   * Region name to its lines, without the markers and the blank lines around them (the formatter
   * puts one after a member), dedented by their common indentation.
   */
  static Map<String, String> regions(List<String> lines) {
    Map<String, String> regions = new LinkedHashMap<>();
    String open = null;
    List<String> body = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("// docs:begin ")) {
        assertThat(open).as("region opened inside region %s", open).isNull();
        open = trimmed.substring("// docs:begin ".length());
        body.clear();
      } else if (trimmed.startsWith("// docs:end ")) {
        assertThat(trimmed.substring("// docs:end ".length())).isEqualTo(open);
        String code = dedent(body);
        assertThat(code).as("region %s", open).isNotBlank();
        regions.put(open, code);
        open = null;
      } else if (open != null) {
        body.add(line);
      }
    }
    assertThat(open).as("region left open").isNull();
    return regions;
  }

  private static String dedent(List<String> region) {
    List<String> lines = new ArrayList<>(region);
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    while (!lines.isEmpty() && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    int indent =
        lines.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return text.toString();
  }
}

package io.memberflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * The production artefact holds the service and nothing of the development setup: no MX sandbox, no
 * Temporal test server, no demo page, no development profile. Every class in it, including those
 * inside its libraries, is looked at.
 */
class ProductionArtefactIT {

  private static final Path ARTEFACT = Path.of("target", "service-0.1.0-SNAPSHOT-exec.jar");
  private static final List<String> DEVELOPMENT_ONLY =
      List.of(
          "io/memberflow/sandbox/",
          "io/memberflow/dev/",
          "io/temporal/testserver/",
          "io/temporal/internal/testservice/TestServicesStarter");

  @Test
  void containsTheServiceAndNothingOfTheDevelopmentSetup() throws IOException {
    List<String> entries = new ArrayList<>();
    try (JarFile jar = new JarFile(ARTEFACT.toFile())) {
      for (JarEntry entry : jar.stream().toList()) {
        entries.add(entry.getName());
        if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
          try (InputStream nested = jar.getInputStream(entry);
              JarInputStream library = new JarInputStream(nested)) {
            for (JarEntry inner = library.getNextJarEntry();
                inner != null;
                inner = library.getNextJarEntry()) {
              entries.add(entry.getName() + "!/" + inner.getName());
            }
          }
        }
      }
    }

    assertThat(entries)
        .contains("BOOT-INF/classes/io/memberflow/service/MemberflowApplication.class");
    assertThat(entries).anyMatch(e -> e.contains("temporal-sdk"));
    assertThat(entries)
        .noneMatch(e -> DEVELOPMENT_ONLY.stream().anyMatch(e::contains))
        .noneMatch(
            e ->
                e.startsWith("BOOT-INF/lib/mx-sandbox")
                    || e.startsWith("BOOT-INF/lib/temporal-test-server"))
        .noneMatch(
            e -> e.endsWith("application-embedded.yml") || e.startsWith("BOOT-INF/classes/demo/"));
  }
}

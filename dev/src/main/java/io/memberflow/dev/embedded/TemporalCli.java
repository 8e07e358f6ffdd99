package io.memberflow.dev.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds the Temporal CLI that runs the durable development server. */
public final class TemporalCli {

  /** The script that installs it, named wherever it is missing. */
  public static final String INSTALL_SCRIPT = "scripts/install-temporal-cli";

  private TemporalCli() {}

  /**
   * The configured CLI when given, else {@code temporal} on the PATH, else where {@code go install}
   * puts it ({@code $GOBIN}, then {@code $GOPATH/bin} or {@code ~/go/bin}), which is not on every
   * PATH.
   */
  public static Optional<Path> locate(Path configured) {
    if (configured != null) {
      return Optional.of(configured).filter(Files::isExecutable);
    }
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(Pattern.quote(java.io.File.pathSeparator))) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, "temporal"));
        }
      }
    }
    env("GOBIN").ifPresent(dir -> candidates.add(Path.of(dir, "temporal")));
    candidates.add(
        env("GOPATH")
            .map(Path::of)
            .orElse(Path.of(System.getProperty("user.home"), "go"))
            .resolve("bin")
            .resolve("temporal"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }
}

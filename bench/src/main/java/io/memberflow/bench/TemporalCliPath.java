package io.memberflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The Temporal CLI: on the PATH, or where scripts/install-temporal-cli puts it. */
final class TemporalCliPath {

  private TemporalCliPath() {}

  static String find() {
    Stream<Path> path =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(Path::of);
    Stream<Path> goBin =
        Stream.of(System.getenv("GOBIN"), System.getProperty("user.home") + "/go/bin")
            .filter(dir -> dir != null && !dir.isEmpty())
            .map(Path::of);
    return Stream.concat(path, goBin)
        .map(dir -> dir.resolve("temporal"))
        .filter(Files::isExecutable)
        .findFirst()
        .map(Path::toString)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the dev-server runs need the Temporal CLI: run scripts/install-temporal-cli, or pass --servers=java"));
  }
}

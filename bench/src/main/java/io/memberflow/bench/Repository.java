package io.memberflow.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built parts are: the bench runs from the repository's root (bench/run changes there;
 * its integration test names it with {@code -Dbench.root}).
 */
final class Repository {

  static final Path ROOT = Path.of(System.getProperty("bench.root", "."));

  private Repository() {}

  static Path path(String first, String... more) {
    return ROOT.resolve(Path.of(first, more));
  }

  /**
   * A module's classes and runtime dependencies, as its build wrote them (target/classpath.txt).
   */
  static String classpath(String module) throws IOException {
    return path(module, "target", "classes")
        + File.pathSeparator
        + Files.readString(path(module, "target", "classpath.txt")).trim();
  }
}

package io.memberflow.dev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The integrators' JavaScript packages ({@code sdk/js}) build with the machine's Node.js and pass
 * their own tests, with the dependencies {@code .ci/run} installed from the committed lockfile.
 */
class JsSdkE2E {

  private static final Path SDK = Path.of("..", "sdk", "js").toAbsolutePath().normalize();

  private record Run(int exit, String output) {}

  @Test
  void thePackagesBuildAndPassTheirTests() throws Exception {
    assertThat(SDK.resolve("node_modules"))
        .as("the SDKs' dependencies: cd sdk/js && npm ci (as .ci/run does)")
        .isDirectory();

    Run build = npm("run", "build");
    assertThat(build.exit()).as(build.output()).isZero();
    assertThat(SDK.resolve("packages/browser/dist/index.js")).isRegularFile();
    assertThat(SDK.resolve("packages/browser/dist/index.d.ts")).isRegularFile();

    Run test = npm("test");
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("# fail 0").doesNotContain("# pass 0");
    test.output().lines().filter(line -> line.startsWith("# tests")).forEach(System.out::println);
  }

  private static Run npm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("npm " + String.join(" ", args) + " took over 5 minutes");
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}

package io.memberflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default (what the README's first command runs: the dev module with the Temporal dev
 * server as its child, the sandbox and the API), started as {@code spring-boot:run} starts it (the
 * module's classes and dependencies, its main class) and timed from the JVM's launch to a healthy
 * answer; each on a fresh data directory and free ports. Maven's own start is not counted.
 */
final class Startup {

  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private Startup() {}

  /** The first start makes the data directory and is not counted: every later one finds it. */
  static String run(int times, Path dir) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<Double> seconds = new ArrayList<>();
    Path dataDir = dir.resolve("data");
    Stack.clean(dataDir);
    once(http, dataDir);
    for (int i = 1; i <= times; i++) {
      seconds.add(once(http, dataDir));
    }
    List<Double> sorted = seconds.stream().sorted().toList();
    double median = sorted.get(sorted.size() / 2);
    Table table =
        new Table(
            "embedded default start-up to healthy (" + jvmArguments() + ")", "seconds", "target");
    table.row(
        "median of "
            + times
            + " restarts ("
            + String.join(", ", seconds.stream().map(Table::num).toList())
            + ")",
        Table.num(median),
        "≤ 4: " + Table.verdict(median <= 4));
    return table.toString();
  }

  /** What spring-boot:run gives the embedded default's JVM (dev/pom.xml, from the parent pom). */
  private static String jvmArguments() throws java.io.IOException {
    java.util.Properties bench = new java.util.Properties();
    try (var in = Startup.class.getResourceAsStream("/bench.properties")) {
      bench.load(in);
    }
    return bench.getProperty("embedded.jvm.arguments").trim();
  }

  private static double once(HttpClient http, Path dataDir) throws Exception {
    int port = Stack.freePort();
    String classpath = Repository.classpath("dev");
    List<String> command = new ArrayList<>(List.of(Stack.java()));
    command.addAll(List.of(jvmArguments().split(" ")));
    command.addAll(
        List.of(
            "-cp",
            classpath,
            "io.memberflow.dev.DevApplication",
            "--server.port=" + port,
            "--memberflow.embedded.data-dir=" + dataDir.toAbsolutePath(),
            "--memberflow.embedded.temporal.port=" + Stack.freePort(),
            "--memberflow.embedded.temporal.ui-port=" + Stack.freePort(),
            "--memberflow.embedded.sandbox.port=" + Stack.freePort()));
    java.nio.file.Files.createDirectories(dataDir);
    long began = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("service.log").toFile()))
            .start();
    try {
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
              .build();
      while (System.nanoTime() - began < PATIENCE.toNanos() && process.isAlive()) {
        try {
          if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return (System.nanoTime() - began) / 1e9;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException(
          "the embedded default did not become healthy; see " + dataDir);
    } finally {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}

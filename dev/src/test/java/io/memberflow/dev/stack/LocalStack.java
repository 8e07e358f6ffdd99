package io.memberflow.dev.stack;

import static org.junit.jupiter.api.Assertions.fail;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.embedded.TemporalCli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A production-shaped deployment on this machine, each part its own process: a Temporal server (the
 * dev server, or two nodes on PostgreSQL: {@link TemporalServer}), the MX sandbox, and any number
 * of service instances from the packaged jar in the {@code production} profile, all configured from
 * the command line. Parts can be killed with SIGKILL and started again.
 */
public final class LocalStack implements AutoCloseable {

  public static final String BACKEND_KEY = "real-server-backend-key";
  public static final String OPERATOR_KEY = "real-server-operator-key";

  /** Both configured on every instance; k1 encrypts unless a test makes k2 the active one. */
  public static final Map<String, String> PAYLOAD_KEYS =
      Map.of(
          "k1",
          "cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTE=",
          "k2",
          "cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTI=");

  public static final String ACTIVE_KEY = "--memberflow.encryption.active-key=";
  private static final String INDEX_KEY = "cmVhbC1zZXJ2ZXItYmxpbmQtaW5kZXgta2V5LTAwMDA=";

  /** The production artefact: the service as operators run it. */
  private static final Path SERVICE_JAR =
      Path.of("..", "service", "target", "service-0.1.0-SNAPSHOT-exec.jar");

  /** The sandbox has no place in the production artefact; the development jar carries it. */
  private static final Path SANDBOX_JAR = Path.of("target", "dev-0.1.0-SNAPSHOT.jar");

  private static final String WEBHOOK_SECRET = "whsec_cmVhbC1zZXJ2ZXItd2ViaG9vay1zZWNyZXQ=";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dir;
  private final TemporalServer temporal;
  private final int sandboxPort = EmbeddedTestPorts.freePort();

  public LocalStack(String name) throws IOException {
    dir =
        Path.of("target", "real-server", System.getProperty(TemporalServer.PROPERTY, "dev"), name);
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(dir);
    temporal = TemporalServer.underTest(dir, name);
  }

  /** The Temporal this stack runs on; {@link #startTemporal()} starts it. */
  public TemporalServer temporal() {
    return temporal;
  }

  /**
   * The Temporal CLI, or a failed test naming the script that installs it. Outside CI, where a JDK
   * alone must run the tests, a missing CLI skips these tests with the same message instead.
   */
  public static Path requireTemporalCli() {
    return TemporalCli.locate(null)
        .orElseGet(
            () -> {
              String why =
                  "these tests need a real Temporal server: the Temporal CLI was not found on the"
                      + " PATH or in ~/go/bin; run "
                      + TemporalCli.INSTALL_SCRIPT;
              if (System.getenv("CI") != null) {
                fail(why);
              }
              Assumptions.abort(why);
              return null;
            });
  }

  public TemporalServer startTemporal() throws Exception {
    temporal.start();
    return temporal;
  }

  /**
   * @param options more of {@code SandboxMain}'s options, e.g. where MX's webhooks go
   */
  public Process startSandbox(String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Dloader.main=io.memberflow.sandbox.SandboxMain",
                "-cp",
                SANDBOX_JAR.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--port=" + sandboxPort,
                "--webhook-secret=" + WEBHOOK_SECRET));
    command.addAll(List.of(options));
    Process sandbox = start("sandbox", command);
    awaitUp(sandbox, sandboxUrl() + "/users/nobody", 401);
    return sandbox;
  }

  /** A service instance as production runs it: nothing embedded, everything from configuration. */
  public Service startService() throws Exception {
    return startService(EmbeddedTestPorts.freePort());
  }

  /**
   * @param settings more of the service's settings, as {@code --name=value} (one given here wins
   *     over the stack's of the same name), and JVM options as {@code -Dname=value}
   */
  public Service startService(int port, String... settings) throws Exception {
    Process process = start("service-" + port, serviceCommand(port, settings));
    // The readiness probe an orchestrator would ask (docs/deployment.md).
    awaitUp(process, "http://localhost:" + port + "/actuator/health/readiness", 200);
    return new Service(process, "http://localhost:" + port);
  }

  /**
   * A service instance that must refuse to start.
   *
   * @return what it said before it ended
   */
  public String startServiceThatRefuses(String... settings) throws Exception {
    int port = EmbeddedTestPorts.freePort();
    Process process = start("service-" + port, serviceCommand(port, settings));
    if (!process.waitFor(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("the service started; see " + dir + "/service-" + port + ".log");
    }
    if (process.exitValue() == 0) {
      throw new AssertionError("the service ended without saying it failed");
    }
    return Files.readString(dir.resolve("service-" + port + ".log"));
  }

  private List<String> serviceCommand(int port, String... settings) {
    String sandbox = sandboxUrl();
    List<String> command = new ArrayList<>(List.of(java()));
    Arrays.stream(settings).filter(s -> s.startsWith("-D")).forEach(command::add);
    command.addAll(
        List.of(
            "-jar",
            SERVICE_JAR.toString(),
            "--server.port=" + port,
            "--spring.profiles.active=production",
            "--memberflow.metrics.in-flight-interval=1s",
            "--memberflow.mx.platform.base-url=" + sandbox,
            "--memberflow.mx.platform.client-id=sandbox-client",
            "--memberflow.mx.platform.api-key=sandbox-api-key",
            "--memberflow.mx.atrium.base-url=" + sandbox + "/atrium",
            "--memberflow.mx.atrium.client-id=sandbox-client",
            "--memberflow.mx.atrium.api-key=sandbox-api-key",
            "--memberflow.mx.nexus.base-url=" + sandbox + "/nexus",
            "--memberflow.mx.nexus.api-token=sandbox-nexus-token",
            "--memberflow.security.backend-api-keys=" + BACKEND_KEY,
            "--memberflow.security.browser-token-secret=real-server-browser-token-secret-0123456789",
            "--memberflow.notifications.webhooks[0].url=" + sandbox + "/_sandbox/webhooks",
            "--memberflow.notifications.webhooks[0].secret=" + WEBHOOK_SECRET,
            "--memberflow.security.operator-api-keys=" + OPERATOR_KEY,
            "--memberflow.encryption.keys.k1=" + PAYLOAD_KEYS.get("k1"),
            "--memberflow.encryption.keys.k2=" + PAYLOAD_KEYS.get("k2"),
            "--memberflow.encryption.index-key=" + INDEX_KEY,
            ACTIVE_KEY + "k1"));
    command.addAll(temporal.serviceSettings());
    Arrays.stream(settings).filter(s -> s.startsWith("--")).forEach(command::add);
    // Spring reads a setting given twice as a list: only the last of each name stays.
    List<String> merged = new ArrayList<>();
    for (String part : command) {
      merged.removeIf(earlier -> part.startsWith("--") && name(earlier).equals(name(part)));
      merged.add(part);
    }
    return merged;
  }

  private static String name(String setting) {
    int equals = setting.indexOf('=');
    return equals < 0 ? setting : setting.substring(0, equals);
  }

  /** A running service instance and where it answers. */
  public record Service(Process process, String baseUrl) {}

  public String sandboxUrl() {
    return "http://localhost:" + sandboxPort;
  }

  /** SIGKILL: no shutdown hook, no goodbye to Temporal. */
  public static void kill(Process process) throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  private Process start(String name, List<String> command) throws IOException {
    Process process = Processes.start(dir.resolve(name + ".log"), command);
    processes.add(process);
    return process;
  }

  private void awaitUp(Process process, String url, int status) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(url + " did not come up; see " + dir + "/*.log");
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    temporal.close();
  }
}

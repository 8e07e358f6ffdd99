package io.memberflow.bench;

import io.memberflow.bench.bare.BareWorker;
import io.memberflow.sandbox.SandboxMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a run measures, each part its own process on 127.0.0.1: a Temporal server, the MX
 * sandbox, memberflow's service from its production jar, and the bare baseline's worker. Both sides
 * share the server and the sandbox.
 */
final class Stack implements AutoCloseable {

  static final String BACKEND_KEY = "bench-backend-key";
  static final String CLIENT_ID = "sandbox-client";
  static final String API_KEY = "sandbox-api-key";
  private static final String MX_WEBHOOK_PASSWORD = "bench-mx-webhook-password";
  private static final Path SERVICE_JAR =
      Repository.path("service", "target", "service-0.1.0-SNAPSHOT-exec.jar");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final List<Process> processes = new ArrayList<>();
  private final Thread stopAtExit = new Thread(this::stopAll, "bench-stack-stop");
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path dir;
  private final String classpath;
  private final boolean profile;
  private final URI webhooks;
  private final PostgresCluster cluster;
  final int temporalPort = freePort();
  final int sandboxPort = freePort();
  final int servicePort = freePort();
  final Part temporal;
  final Part sandbox;
  final Part service;
  final Part bareWorker;
  final TemporalKind kind;

  /**
   * @param profile record a JFR profile of the service and the bare worker into {@code dir}
   * @param webhooks where the service sends its webhooks, with MX's webhooks from the sandbox to
   *     the service; null: neither, as the throughput comparison runs
   * @param mxLatency how long the sandbox takes to answer every MX call, for both sides alike
   */
  Stack(TemporalKind kind, Path dir, boolean profile, URI webhooks, Duration mxLatency)
      throws Exception {
    this.kind = kind;
    this.dir = dir;
    this.webhooks = webhooks;
    this.classpath = Repository.classpath("bench");
    this.profile = profile;
    // A bench stopped with Ctrl-C leaves no part running.
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    clean(dir);
    cluster = kind == TemporalKind.POSTGRES ? new PostgresCluster() : null;
    try {
      temporal =
          switch (kind) {
            case DEV -> new Part("temporal", startDevServer());
            case JAVA -> new Part("temporal", startJavaTestServer());
            case POSTGRES -> cluster.part();
          };
      if (cluster == null) {
        awaitListening(temporal, temporalPort);
      }
      List<String> sandboxArgs =
          new ArrayList<>(List.of("--port=" + sandboxPort, "--latency-ms=" + mxLatency.toMillis()));
      if (webhooks != null) {
        sandboxArgs.addAll(
            List.of(
                "--mx-webhook-url=" + serviceUrl() + "/v1/mx/webhooks",
                "--mx-webhook-username=mx",
                "--mx-webhook-password=" + MX_WEBHOOK_PASSWORD));
      }
      sandbox =
          new Part(
              "sandbox",
              startJava(
                  "sandbox", SandboxMain.class.getName(), sandboxArgs.toArray(String[]::new)));
      awaitUp(sandbox, sandboxUrl() + "/users/nobody", 401);
      service = new Part("memberflow", startService());
      bareWorker =
          new Part(
              "bare worker",
              startJava(
                  "bare-worker",
                  BareWorker.class.getName(),
                  temporalTarget(),
                  namespace(),
                  sandboxUrl(),
                  CLIENT_ID,
                  API_KEY));
      awaitUp(service, serviceUrl() + "/actuator/health", 200);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  String temporalTarget() {
    return cluster == null ? "127.0.0.1:" + temporalPort : cluster.target();
  }

  String namespace() {
    return cluster == null ? "default" : cluster.namespace;
  }

  String sandboxUrl() {
    return "http://127.0.0.1:" + sandboxPort;
  }

  String serviceUrl() {
    return "http://127.0.0.1:" + servicePort;
  }

  /**
   * What Temporal keeps on disk: the dev server's SQLite database with its WAL, PostgreSQL's two
   * databases; 0 for the Java server.
   */
  long temporalDatabaseBytes() throws Exception {
    if (cluster != null) {
      return cluster.databaseBytes();
    }
    long bytes = 0;
    for (String file : List.of("temporal.db", "temporal.db-wal", "temporal.db-shm")) {
      Path path = dir.resolve(file);
      bytes += Files.exists(path) ? Files.size(path) : 0;
    }
    return bytes;
  }

  /** The dev server as the embedded default runs it (SQLite in WAL mode), without the Web UI. */
  private Process startDevServer() throws IOException {
    return start(
        "temporal",
        List.of(
            TemporalCliPath.find(),
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            Integer.toString(temporalPort),
            "--db-filename",
            dir.resolve("temporal.db").toString(),
            "--sqlite-pragma",
            "journal_mode=WAL",
            "--sqlite-pragma",
            "synchronous=NORMAL",
            "--log-level",
            "warn"));
  }

  private Process startJavaTestServer() throws IOException {
    return startJava(
        "temporal", "io.temporal.testserver.TestServer", Integer.toString(temporalPort));
  }

  /** The production artefact, configured as an operator would, with no webhook receivers. */
  private Process startService() throws IOException {
    String sandbox = sandboxUrl();
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(profiling("memberflow"));
    command.addAll(
        List.of(
            "-jar",
            SERVICE_JAR.toString(),
            "--server.port=" + servicePort,
            "--server.address=127.0.0.1",
            "--spring.profiles.active=production",
            "--spring.temporal.connection.target=" + temporalTarget(),
            "--spring.temporal.namespace=" + namespace(),
            // On the cluster the operator's step registered them (scripts/temporal-postgres).
            "--memberflow.temporal.register-search-attributes=" + (cluster == null),
            "--memberflow.mx.platform.base-url=" + sandbox,
            "--memberflow.mx.platform.client-id=" + CLIENT_ID,
            "--memberflow.mx.platform.api-key=" + API_KEY,
            "--memberflow.security.backend-api-keys=" + BACKEND_KEY,
            // Parked connections wait for their users the whole run, not the default ten minutes.
            "--memberflow.policy.oauth-timeout=1h",
            "--memberflow.security.browser-token-secret=bench-browser-token-secret-0123456789abcdef",
            "--memberflow.encryption.keys.b1=YmVuY2gtcGF5bG9hZC1rZXktMDEyMzQ1Njc4OWFiY2Q=",
            "--memberflow.encryption.active-key=b1",
            "--memberflow.encryption.index-key=YmVuY2gtaW5kZXgta2V5LTAxMjM0NTY3ODlhYmNkZWY="));
    if (webhooks != null) {
      command.addAll(
          List.of(
              "--memberflow.mx.webhooks.username=mx",
              "--memberflow.mx.webhooks.password=" + MX_WEBHOOK_PASSWORD,
              "--memberflow.notifications.webhooks[0].url=" + webhooks,
              "--memberflow.notifications.webhooks[0].secret="
                  + "whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc="));
    }
    return start("memberflow", command);
  }

  private List<String> profiling(String name) {
    return profile
        ? List.of(
            "-XX:StartFlightRecording=settings=profile,filename="
                + dir.resolve(name + ".jfr").toAbsolutePath())
        : List.of();
  }

  private Process startJava(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    if (name.equals("bare-worker")) {
      command.addAll(profiling(name));
    }
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(List.of(args));
    return start(name, command);
  }

  private Process start(String name, List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
            .start();
    processes.add(process);
    return process;
  }

  private void awaitUp(Part part, String url, int status) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline) && part.process().isAlive()) {
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(url + " did not come up; see the logs in " + dir);
  }

  private void awaitListening(Part part, int port) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline) && part.process().isAlive()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "Temporal did not come up on " + port + "; see " + dir + "/temporal.log");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Empties {@code dir}, or makes it. */
  static void clean(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(dir);
  }

  @Override
  public void close() {
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
    stopAll();
  }

  private void stopAll() {
    // The service and the worker stop before the server they talk to.
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}

package io.memberflow.dev.embedded;

import io.grpc.health.v1.HealthCheckResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal CLI's dev server ({@code temporal server start-dev}) as a child process: a real
 * Temporal server with its state in a SQLite file, visibility, and the Web UI.
 *
 * <p>A service killed without a chance to stop its child leaves the server running and holding the
 * SQLite file; the next start finds it by the pid file in the data directory and stops it first.
 */
public final class TemporalDevServer implements EmbeddedTemporal {

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Process process;
  private final Path pidFile;

  private TemporalDevServer(Process process, Path pidFile) {
    this.process = process;
    this.pidFile = pidFile;
  }

  /** What the server is started with. */
  public record Settings(
      Path cli, String address, int port, int uiPort, Path dataDir, Duration startTimeout) {

    Path database() {
      return dataDir.resolve("temporal.db");
    }

    Path logFile() {
      return dataDir.resolve("temporal-server.log");
    }

    Path pidFile() {
      return dataDir.resolve("temporal-server.pid");
    }

    /**
     * SQLite in WAL mode with NORMAL sync: a killed server loses nothing it acknowledged (only a
     * power cut could), and the single writer is not held up by a sync per transaction, which
     * halved the flow rate in the default rollback-journal mode.
     */
    public List<String> command() {
      List<String> command = new ArrayList<>();
      if (Files.isExecutable(SETSID)) {
        // Its own session: Ctrl-C in the terminal reaches the service, which stops the server
        // after its workers, instead of the server dying under them.
        command.add(SETSID.toString());
      }
      command.addAll(
          List.of(
              cli.toString(),
              "server",
              "start-dev",
              "--ip",
              address,
              "--port",
              Integer.toString(port),
              "--db-filename",
              database().toString(),
              "--sqlite-pragma",
              "journal_mode=WAL",
              "--sqlite-pragma",
              "synchronous=NORMAL",
              "--log-level",
              "warn"));
      if (uiPort == 0) {
        command.add("--headless");
      } else {
        command.addAll(List.of("--ui-ip", address, "--ui-port", Integer.toString(uiPort)));
      }
      return command;
    }
  }

  static TemporalDevServer start(Settings settings) {
    try {
      Files.createDirectories(settings.dataDir());
      stopLeftover(settings.pidFile(), settings.database());
      // Another server on the port would answer the health check in place of ours.
      requireFree(settings.address(), settings.port());
      if (settings.uiPort() != 0) {
        requireFree(settings.address(), settings.uiPort());
      }
      Process process =
          new ProcessBuilder(settings.command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()))
              .start();
      TemporalDevServer server = new TemporalDevServer(process, settings.pidFile());
      try {
        Files.writeString(settings.pidFile(), Long.toString(process.pid()));
        server.awaitServing(settings);
      } catch (RuntimeException | IOException e) {
        server.close();
        throw e;
      }
      log.info(
          "Temporal dev server (Temporal CLI {}) on {}:{}, state in {}{}",
          settings.cli(),
          settings.address(),
          settings.port(),
          settings.database(),
          settings.uiPort() == 0
              ? ""
              : ", Web UI http://" + settings.address() + ":" + settings.uiPort());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Temporal dev server", e);
    }
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void close() {
    stop(process.toHandle());
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.warn("Could not remove {}", pidFile, e);
    }
  }

  private void awaitServing(Settings settings) {
    Instant deadline = Instant.now().plus(settings.startTimeout());
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.address() + ":" + settings.port())
                .build());
    try {
      while (process.isAlive() && Instant.now().isBefore(deadline)) {
        try {
          if (stubs.healthCheck().getStatus() == HealthCheckResponse.ServingStatus.SERVING
              && process.isAlive()) {
            return;
          }
        } catch (RuntimeException notYet) {
          // not listening yet
        }
        sleep(Duration.ofMillis(100));
      }
    } finally {
      stubs.shutdownNow();
    }
    throw new IllegalStateException(
        "the Temporal dev server did not come up within "
            + settings.startTimeout()
            + " (is port "
            + settings.port()
            + " or "
            + settings.uiPort()
            + " taken?); its log, "
            + settings.logFile()
            + ", ends with:\n"
            + tail(settings.logFile()));
  }

  /**
   * Stops a dev server that an earlier, killed service left running on this data directory: the
   * process the pid file names, if it still runs start-dev on this very database.
   */
  private static void stopLeftover(Path pidFile, Path database) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> leftover;
    try {
      leftover =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
              .filter(
                  handle ->
                      handle
                          .info()
                          .commandLine()
                          .map(c -> c.contains("start-dev") && c.contains(database.toString()))
                          .orElse(false));
    } catch (NumberFormatException unreadable) {
      leftover = Optional.empty();
    }
    leftover.ifPresent(
        handle -> {
          log.warn(
              "Stopping a Temporal dev server left running by an earlier start (pid {})",
              handle.pid());
          stop(handle);
        });
    Files.delete(pidFile);
  }

  private static void requireFree(String address, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException taken) {
      throw new IllegalStateException(
          "cannot start the Temporal dev server: "
              + address
              + ":"
              + port
              + " is in use (another"
              + " Temporal server, or another memberflow?); stop it or set"
              + " memberflow.embedded.temporal.port / ui-port");
    }
  }

  private static void stop(ProcessHandle handle) {
    handle.destroy();
    try {
      handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notStopped) {
      handle.destroyForcibly();
      // The next server must not race this one for the port and the database.
      handle.onExit().join();
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    }
  }
}

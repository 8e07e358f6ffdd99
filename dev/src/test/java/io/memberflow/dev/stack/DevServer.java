package io.memberflow.dev.stack;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.embedded.TemporalDevServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Temporal CLI's dev server on a SQLite file in the test's directory: a restart finds what the
 * last one kept. Like the embedded setup, the service registers its search attributes itself.
 */
public final class DevServer implements TemporalServer {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Path cli = LocalStack.requireTemporalCli();
  private final int port = EmbeddedTestPorts.freePort();
  private Process process;

  DevServer(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "dev server";
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public String namespace() {
    return "default";
  }

  @Override
  public List<String> serviceSettings() {
    return List.of(
        "--spring.temporal.connection.target=" + target(),
        "--memberflow.temporal.register-search-attributes=true");
  }

  @Override
  public void start() throws Exception {
    process =
        Processes.start(
            dir.resolve("temporal.log"),
            new TemporalDevServer.Settings(cli, "127.0.0.1", port, 0, dir, START_TIMEOUT)
                .command());
    Processes.awaitListening(process, port, START_TIMEOUT, dir.resolve("temporal.log"));
  }

  @Override
  public void crash() throws Exception {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}

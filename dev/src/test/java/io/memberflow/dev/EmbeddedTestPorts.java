package io.memberflow.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Settings for tests that run the embedded setup: free ports, so tests never clash with a running
 * service, and a data directory of their own, so they never touch a developer's state.
 */
public final class EmbeddedTestPorts {

  private EmbeddedTestPorts() {}

  /** Temporal's Java test server in the test's process: no install needed, state in memory. */
  public static void register(DynamicPropertyRegistry registry) {
    registerWith(registry, "test-server");
  }

  /**
   * The Temporal CLI's dev server as a child process, as the embedded default runs when the CLI is
   * installed; start-up fails with the install script's name when it is not.
   */
  public static void registerDevServer(DynamicPropertyRegistry registry) {
    registerWith(registry, "dev-server");
  }

  private static void registerWith(DynamicPropertyRegistry registry, String temporalServer) {
    int temporal = freePort();
    int sandbox = freePort();
    String dataDir = temporaryDirectory();
    registry.add("memberflow.embedded.temporal.server", () -> temporalServer);
    registry.add("memberflow.embedded.temporal.port", () -> temporal);
    registry.add("memberflow.embedded.temporal.ui-port", () -> 0);
    registry.add("memberflow.embedded.sandbox.port", () -> sandbox);
    registry.add("memberflow.embedded.data-dir", () -> dataDir);
  }

  /** A fixed free port for the API, for tests whose pages or redirects must know it beforehand. */
  public static void registerServer(DynamicPropertyRegistry registry) {
    int server = freePort();
    registry.add("server.port", () -> server);
  }

  /** A port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String temporaryDirectory() {
    try {
      return Files.createTempDirectory("memberflow-test").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

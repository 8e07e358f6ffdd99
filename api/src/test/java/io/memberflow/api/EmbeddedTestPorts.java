package io.memberflow.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Free ports for the embedded Temporal server and sandbox, so tests never clash with a running service. */
public final class EmbeddedTestPorts {

  private EmbeddedTestPorts() {}

  public static void register(DynamicPropertyRegistry registry) {
    int temporal = freePort();
    int sandbox = freePort();
    registry.add("memberflow.embedded.temporal.port", () -> temporal);
    registry.add("memberflow.embedded.sandbox.port", () -> sandbox);
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
}

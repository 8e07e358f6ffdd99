package io.memberflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The integrator's webhook receiver, in the bench's process: it notes when each connection's {@code
 * connection.reauth_required} arrives, by the bench's clock, and answers every webhook 204.
 */
final class LifeWebhooks implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  /** Connection id → {@link System#nanoTime()} when its reauth_required arrived. */
  private final Map<String, Long> reauthRequired = new ConcurrentHashMap<>();

  private LifeWebhooks(HttpServer server) {
    this.server = server;
  }

  static LifeWebhooks start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    LifeWebhooks webhooks = new LifeWebhooks(server);
    server.createContext(
        "/webhooks",
        exchange -> {
          long arrived = System.nanoTime();
          JsonNode payload = JSON.readTree(exchange.getRequestBody());
          if ("connection.reauth_required".equals(payload.path("type").asText())) {
            webhooks.reauthRequired.putIfAbsent(
                payload.path("data").path("connection_id").asText(), arrived);
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    return webhooks;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks");
  }

  /** When the connection's reauth_required arrived; null until it has. */
  Long reauthRequiredAt(String connectionId) {
    return reauthRequired.get(connectionId);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

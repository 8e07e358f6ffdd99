package io.memberflow.activities.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.OperatorAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The alert's shape on the wire. That real Alertmanager accepts and shows it is proven in the
 * end-to-end profile against Debian's prometheus-alertmanager.
 */
class AlertmanagerAlerterTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OperatorAlert alert =
      new OperatorAlert(
          "conn-9",
          "mx_bank_oauth",
          ErrorReason.PROVIDER_ERROR,
          "MBR-9",
          Instant.parse("2026-11-23T10:00:00Z"),
          null);

  @Test
  void postsAnAlertWithInstitutionAndReasonLabels() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer alertmanager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    alertmanager.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          bodies.add(new String(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    alertmanager.start();
    try {
      new AlertmanagerAlerter(
              URI.create("http://127.0.0.1:" + alertmanager.getAddress().getPort()),
              new ObjectMapper(),
              HttpClient.newHttpClient(),
              Duration.ofSeconds(2),
              Duration.ofHours(1),
              registry)
          .raise(alert);
    } finally {
      alertmanager.stop(0);
    }

    assertThat(paths).containsExactly("POST /api/v2/alerts");
    JsonNode sent = new ObjectMapper().readTree(bodies.get(0)).get(0);
    assertThat(sent.path("labels").path("alertname").asText()).isEqualTo("MemberflowProviderError");
    assertThat(sent.path("labels").path("institution_code").asText()).isEqualTo("mx_bank_oauth");
    assertThat(sent.path("labels").path("error_reason").asText()).isEqualTo("PROVIDER_ERROR");
    assertThat(sent.path("startsAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(sent.path("endsAt").asText()).isEqualTo("2026-11-23T11:00:00Z");
    assertThat(
            registry
                .get("memberflow.operator.alerts")
                .tag("delivery", "alertmanager")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void withoutAlertmanagerTheAlertIsLoggedAndCounted() {
    new AlertmanagerAlerter(
            null,
            new ObjectMapper(),
            HttpClient.newHttpClient(),
            Duration.ofSeconds(2),
            Duration.ofHours(1),
            registry)
        .raise(alert);

    assertThat(
            registry
                .get("memberflow.operator.alerts")
                .tag("delivery", "logged")
                .tag("error_reason", "PROVIDER_ERROR")
                .counter()
                .count())
        .isEqualTo(1);
  }
}

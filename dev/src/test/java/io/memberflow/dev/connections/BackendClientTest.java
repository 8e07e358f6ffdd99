package io.memberflow.dev.connections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import io.memberflow.client.ApiClient;
import io.memberflow.client.ApiException;
import io.memberflow.client.Connection;
import io.memberflow.client.ConnectionState;
import io.memberflow.client.ConnectionWebhook;
import io.memberflow.client.ConnectionsApi;
import io.memberflow.client.StartConnection;
import io.memberflow.client.StartedConnection;
import io.memberflow.client.WebhookType;
import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxBrowser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What an integrator's backend does, with the generated Java client ({@code client-java}) and the
 * Standard Webhooks library, against the embedded service, Temporal's Java test server and the MX
 * sandbox: start a connection, read it until MX has the data, and take memberflow's signed webhooks
 * at a receiver of its own. The browser's part (the sandbox's OAuth pages, the relay of MX's
 * message with the browser token) is plain HTTP, as memberflow.js does it.
 *
 * <p>The code between {@code // docs:begin} and {@code // docs:end} is docs/backend.md's Java
 * example; {@link io.memberflow.dev.DocsExamplesTest} keeps the page equal to it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@DirtiesContext
class BackendClientTest {

  /** The receiver's own secret, as an integrator configures it for its endpoint. */
  private static final String WEBHOOK_SECRET = newWebhookSecret();

  /** Each delivery as it arrived, before any check, so that the test can replay and tamper. */
  record Delivery(String body, Map<String, List<String>> headers) {}

  private static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private static final List<ConnectionWebhook> verified = new CopyOnWriteArrayList<>();
  private static HttpServer receiverServer;
  private static String receiverUrl;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) throws Exception {
    EmbeddedTestPorts.register(registry);
    EmbeddedTestPorts.registerServer(registry);
    startWebhookReceiver();
    // memberflow's webhooks go to this receiver only (the list replaces the embedded default's).
    registry.add("memberflow.notifications.webhooks[0].url", () -> receiverUrl);
    registry.add("memberflow.notifications.webhooks[0].secret", () -> WEBHOOK_SECRET);
  }

  @LocalServerPort int port;
  @Autowired MxSandbox sandbox;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBackendStartsAConnectionReadsItAndVerifiesItsWebhooks() throws Exception {
    String memberflowUrl = "http://localhost:" + port;
    String apiKey = "dev-backend-key";

    // docs:begin java-client
    ApiClient apiClient = new ApiClient();
    apiClient.updateBaseUri(memberflowUrl);
    // The key stays on the backend; a browser acts with its connection's browser_token only.
    apiClient.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + apiKey));
    // Longer than memberflow's update wait (10 s), after which it answers 202 instead.
    apiClient.setReadTimeout(Duration.ofSeconds(30));
    ConnectionsApi connections = new ConnectionsApi(apiClient);
    // docs:end java-client

    // docs:begin java-start
    StartedConnection started =
        connections.startConnection(
            new StartConnection()
                .userId("user-17")
                .memberId("member-17-chase")
                .institutionCode("mx_bank_oauth"));
    // The page needs these three to open the window and relay MX's message; never the API key.
    String connectionId = started.getConnectionId();
    String browserToken = started.getBrowserToken();
    String oauthWindowUri = started.getOauthWindowUri();
    // docs:end java-start

    assertThat(started.getState()).isEqualTo(ConnectionState.AWAITING_OAUTH);
    assertThat(connectionId).isEqualTo("member-17-chase");
    assertThat(started.getUserId()).isEqualTo("user-17");
    assertThat(started.getAttempt()).isEqualTo(1);
    assertThat(started.getMemberGuid()).startsWith("MBR-");
    assertThat(oauthWindowUri)
        .startsWith(sandbox.baseUrl() + "/oauth/predirect_to/" + started.getMemberGuid() + "/");

    // The browser's part: the user signs in at the bank in the window, and the page relays what
    // MX's page posted, verbatim, with the browser token.
    String posted = new SandboxBrowser(sandbox.baseUrl()).completeOAuth(oauthWindowUri, "success");
    HttpResponse<String> relayed =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        memberflowUrl + "/v1/connections/" + connectionId + "/oauth-messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + browserToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(posted))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(relayed.statusCode()).as(relayed.body()).isEqualTo(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> dataReady(connections, connectionId));
    Connection connected = connections.readConnection(connectionId);
    assertThat(connected.getState()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(connected.getAggregation()).isEqualTo(Connection.AggregationEnum.DATA_READY);
    assertThat(connected.getMemberGuid()).isEqualTo(started.getMemberGuid());
    assertThat(connected.getOauthWindowUri()).isNull();
    assertThat(connected.getTransitions())
        .last()
        .satisfies(t -> assertThat(t.getTo()).isEqualTo(ConnectionState.CONNECTED));

    // The receiver took both of the connection's webhooks, each verified against its secret.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(verified)
                    .extracting(ConnectionWebhook::getType)
                    .containsExactly(
                        WebhookType.CONNECTION_CONNECTED, WebhookType.CONNECTION_DATA_READY));
    assertThat(verified)
        .allSatisfy(
            webhook -> {
              assertThat(webhook.getData().getConnectionId()).isEqualTo(connectionId);
              assertThat(webhook.getData().getUserId()).isEqualTo("user-17");
              assertThat(webhook.getData().getMemberGuid()).isEqualTo(started.getMemberGuid());
              assertThat(webhook.getData().getState()).isEqualTo(ConnectionState.CONNECTED);
              assertThat(webhook.getTimestamp()).isNotNull();
            });

    // The data_ready delivery again: as sent it verifies; with one field changed it does not.
    Delivery dataReadyDelivery =
        deliveries.stream()
            .filter(d -> d.body().contains("\"type\":\"connection.data_ready\""))
            .findFirst()
            .orElseThrow();
    assertThat(post(dataReadyDelivery.body(), dataReadyDelivery.headers())).isEqualTo(204);
    assertThat(verified).hasSize(3);
    String tampered = dataReadyDelivery.body().replace("\"user-17\"", "\"user-18\"");
    assertThat(tampered).isNotEqualTo(dataReadyDelivery.body());
    assertThat(post(tampered, dataReadyDelivery.headers())).isEqualTo(401);
    assertThat(verified).hasSize(3).noneMatch(w -> w.getData().getUserId().equals("user-18"));
  }

  // docs:begin java-read
  /** True once MX has fetched the member's accounts: the backend can read them from MX now. */
  static boolean dataReady(ConnectionsApi connections, String connectionId) throws ApiException {
    Connection connection = connections.readConnection(connectionId);
    return connection.getState() == ConnectionState.CONNECTED
        && connection.getAggregation() == Connection.AggregationEnum.DATA_READY;
  }

  // docs:end java-read

  // docs:begin java-webhook
  /** memberflow's webhooks for one endpoint: verified with its secret, then read. */
  static final class WebhookReceiver {

    private final Webhook webhook;
    private final ObjectMapper json = ApiClient.createDefaultObjectMapper();
    private final Consumer<ConnectionWebhook> handler;

    /**
     * @param secret the endpoint's {@code whsec_} secret from memberflow.notifications.webhooks
     * @param handler must be quick: memberflow waits 10 s for the answer, so queue slow work
     */
    WebhookReceiver(String secret, Consumer<ConnectionWebhook> handler)
        throws EmptyWebhookSecretException {
      this.webhook = new Webhook(secret);
      this.handler = handler;
    }

    /** The status to answer: anything but 2xx makes memberflow deliver it again later. */
    int receive(String body, Map<String, List<String>> headers) throws IOException {
      try {
        // The signature covers the exact bytes sent: verify the body as it arrived, then parse.
        webhook.verify(body, headers);
      } catch (WebhookVerificationException e) {
        return 401;
      }
      handler.accept(json.readValue(body, ConnectionWebhook.class));
      return 204;
    }
  }

  // docs:end java-webhook

  /** The integrator's endpoint on the JDK's HTTP server, started before the service. */
  private static void startWebhookReceiver() throws IOException, EmptyWebhookSecretException {
    if (receiverServer != null) {
      return;
    }
    WebhookReceiver receiver = new WebhookReceiver(WEBHOOK_SECRET, verified::add);
    receiverServer =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiverServer.createContext(
        "/memberflow/webhooks",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          deliveries.add(new Delivery(body, Map.copyOf(exchange.getRequestHeaders())));
          exchange.sendResponseHeaders(receiver.receive(body, exchange.getRequestHeaders()), -1);
          exchange.close();
        });
    receiverServer.start();
    receiverUrl =
        "http://127.0.0.1:" + receiverServer.getAddress().getPort() + "/memberflow/webhooks";
  }

  @AfterAll
  static void stopWebhookReceiver() {
    if (receiverServer != null) {
      receiverServer.stop(0);
    }
  }

  /** A delivery replayed to the receiver with the webhook headers it came with. */
  private int post(String body, Map<String, List<String>> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(receiverUrl))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .forEach(value -> request.header(name, value));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String newWebhookSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}

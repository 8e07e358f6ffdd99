package io.memberflow.dev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxBrowser;
import io.memberflow.workflows.connection.ConnectionState;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' view against the real programs: Debian's prometheus scrapes the running service
 * (on the Temporal CLI's dev server) and evaluates the project's rules, Debian's
 * prometheus-alertmanager receives the alerts. First only successes go through: the ratio panels
 * must show their true values, not "no data". Then a mix of outcomes: every query of every
 * dashboard panel must return data, and a PROVIDER_ERROR raised by a workflow must be in
 * Alertmanager. Every OAuth is completed in the sandbox's pages, as a browser would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureObservability
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorsE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
  private static final Path PROJECT_DASHBOARDS =
      Path.of("..", "dashboards").toAbsolutePath().normalize();
  private static final int APP_PORT = EmbeddedTestPorts.freePort();
  private static final int PROMETHEUS_PORT = EmbeddedTestPorts.freePort();
  private static final int ALERTMANAGER_PORT = EmbeddedTestPorts.freePort();
  private static final List<Process> PROGRAMS = new ArrayList<>();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> APP_PORT);
    EmbeddedTestPorts.registerDevServer(registry);
    registry.add(
        "memberflow.notifications.alertmanager-url", () -> "http://127.0.0.1:" + ALERTMANAGER_PORT);
    registry.add("memberflow.metrics.in-flight-interval", () -> "1s");
  }

  @BeforeAll
  static void startPrometheusAndAlertmanager() throws Exception {
    for (Path program : new Path[] {PROMETHEUS, ALERTMANAGER}) {
      if (!Files.isExecutable(program)) {
        throw new IllegalStateException(
            program
                + " is missing: the end-to-end profile needs Debian's"
                + " prometheus and prometheus-alertmanager (.ci/run installs them)");
      }
    }
    Path work = Files.createTempDirectory("memberflow-operators");
    start(
        "alertmanager",
        work,
        ALERTMANAGER.toString(),
        "--config.file=" + PROJECT_DASHBOARDS.resolve("alertmanager/alertmanager.yml"),
        "--storage.path=" + work.resolve("alertmanager"),
        "--web.listen-address=127.0.0.1:" + ALERTMANAGER_PORT,
        "--cluster.listen-address=");
    // The project's rules, with this run's addresses and a quick scrape.
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global: {scrape_interval: 1s, evaluation_interval: 1s}",
            "rule_files: ['" + PROJECT_DASHBOARDS.resolve("prometheus/rules.yml") + "']",
            "alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:"
                + ALERTMANAGER_PORT
                + "']}]}]}",
            "scrape_configs: [{job_name: memberflow, metrics_path: /actuator/prometheus, static_configs: [{targets: ['localhost:"
                + APP_PORT
                + "']}]}]",
            ""));
    start(
        "prometheus",
        work,
        PROMETHEUS.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + work.resolve("prometheus"),
        "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT);
  }

  @AfterAll
  static void stopThem() {
    PROGRAMS.forEach(Process::destroy);
  }

  @Autowired MxSandbox sandbox;

  /** Temporal reports workflow-side metrics every ten seconds; two rounds make counters move. */
  private static final Duration METRICS_REPORT = Duration.ofSeconds(11);

  @Test
  @Order(1)
  void beforeAnythingFailsTheRatioPanelsShowTheirValues() throws Exception {
    connect(startConnection("ops-clean-1", "mx_bank_oauth", true));
    Thread.sleep(METRICS_REPORT.toMillis());
    connect(startConnection("ops-clean-2", "mx_bank_oauth", true));
    Thread.sleep(METRICS_REPORT.toMillis());
    connect(startConnection("ops-clean-3", "mx_bank_oauth", true));

    assertPanel(
        "Connection success rate",
        series ->
            assertThat(series).singleElement().satisfies(s -> assertThat(value(s)).isEqualTo(1.0)));
    assertPanel(
        "Success rate by institution",
        series ->
            assertThat(series)
                .singleElement()
                .satisfies(
                    s -> {
                      assertThat(s.path("metric").path("institution").asText())
                          .isEqualTo("mx_bank_oauth");
                      assertThat(value(s)).isEqualTo(1.0);
                    }));
    assertPanel(
        "MX error rate",
        series -> assertThat(series).singleElement().satisfies(s -> assertThat(value(s)).isZero()));
    assertPanel(
        "Connections waiting on the user",
        series -> assertThat(series).hasSize(3).allSatisfy(s -> assertThat(value(s)).isZero()));
    // every state a connection can be in before it ends, CONFIRMING included; the three
    // connected members live on
    assertPanel(
        "Connections in flight by state",
        series -> {
          assertThat(series)
              .extracting(s -> s.path("metric").path("state").asText())
              .containsExactlyInAnyOrder(
                  Arrays.stream(ConnectionState.values())
                      .filter(state -> !state.isTerminal())
                      .map(Enum::name)
                      .toArray(String[]::new));
          assertThat(series)
              .allSatisfy(
                  s ->
                      assertThat(value(s))
                          .as(s.path("metric").path("state").asText())
                          .isEqualTo(
                              s.path("metric").path("state").asText().equals("CONNECTED")
                                  ? 3.0
                                  : 0.0));
        });
  }

  @Test
  @Order(2)
  void everyPanelHasDataAndProviderErrorsReachAlertmanager() throws Exception {
    driveAMixOfOutcomes();

    List<String> queries = panelQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(30);
    for (String query : queries) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(prometheus(query).path("data").path("result"))
                      .as(
                          "panel query %s; finished series: %s; targets: %s",
                          query,
                          prometheus("memberflow_connections_finished_total")
                              .path("data")
                              .path("result")
                              .size(),
                          get("http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/targets")
                              .path("data")
                              .path("activeTargets"))
                      .isNotEmpty());
    }
    System.out.println(
        "Checked " + queries.size() + " panel queries against Prometheus: all returned data");

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        get(
                            "http://127.0.0.1:"
                                + ALERTMANAGER_PORT
                                + "/api/v2/alerts?filter=alertname%3D%22MemberflowProviderError%22"))
                    .anySatisfy(
                        alert -> {
                          assertThat(alert.path("labels").path("institution_code").asText())
                              .isEqualTo("mx_bank_oauth");
                          assertThat(alert.path("labels").path("error_reason").asText())
                              .isEqualTo("PROVIDER_ERROR");
                          assertThat(alert.path("labels").path("service").asText())
                              .isEqualTo("memberflow");
                        }));
  }

  /** Successes, retries, every waiting state, a provider error, a refusal, and MX trouble. */
  private void driveAMixOfOutcomes() throws Exception {
    sandbox.setFaults(new Faults(1.0, List.of(503), Duration.ZERO));
    startConnection("ops-flaky", "mx_bank_oauth", false);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> sandbox.exchanges().stream().filter(e -> e.status() == 503).count() >= 2);
    sandbox.setFaults(Faults.NONE);
    connect(waitForWindow("ops-flaky"));

    connect(startConnection("ops-ok", "mx_bank_oauth", true));
    connect(relay(startConnection("ops-retry", "mx_credit_union_oauth", true), "CANCELLED"));
    relay(startConnection("ops-impeded", "mx_bank_oauth", true), "IMPEDED");
    relay(startConnection("ops-denied", "mx_bank_oauth", true), "DENIED");
    relay(startConnection("ops-provider", "mx_bank_oauth", true), "PROVIDER_ERROR");
    startConnection("ops-no-oauth", "mxbank", true);
  }

  /** Asserts what one dashboard panel's first query gives, as Grafana would ask Prometheus. */
  private static void assertPanel(
      String title, java.util.function.Consumer<List<JsonNode>> expectation) throws IOException {
    String query = panelQuery(title);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              List<JsonNode> series = new ArrayList<>();
              prometheus(query).path("data").path("result").forEach(series::add);
              assertThat(series).as("panel %s: %s", title, query).isNotNull();
              expectation.accept(series);
            });
  }

  private static double value(JsonNode series) {
    return Double.parseDouble(series.path("value").get(1).asText());
  }

  private JsonNode connect(JsonNode connection) throws Exception {
    JsonNode connected = relay(connection, "success");
    assertThat(connected.path("state").asText()).isEqualTo("CONNECTED");
    return connected;
  }

  private JsonNode startConnection(String id, String institution, boolean wait) throws Exception {
    JsonNode started =
        post(
            "/v1/connections",
            "{\"user_id\":\"ops-user\",\"member_id\":\""
                + id
                + "\",\"institution_code\":\""
                + institution
                + "\"}");
    return wait ? waitForWindow(id) : started;
  }

  /** Until its window is out (MX may still be retrying) or it has ended. */
  private JsonNode waitForWindow(String id) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> get("http://localhost:" + APP_PORT + "/v1/connections/" + id),
            view ->
                view.path("oauth_window_uri").isTextual()
                    || !List.of("STARTING", "AWAITING_OAUTH")
                        .contains(view.path("state").asText()));
  }

  /** The browser's part: the outcome chosen on the sandbox's page, its message relayed. */
  private JsonNode relay(JsonNode connection, String outcome) throws Exception {
    String message =
        new SandboxBrowser(sandbox.baseUrl())
            .completeOAuth(connection.path("oauth_window_uri").asText(), outcome);
    return post(
        "/v1/connections/" + connection.path("connection_id").asText() + "/oauth-messages",
        message);
  }

  /**
   * Every query of every panel, with Grafana's macros as Grafana would fill them for 15 minutes.
   */
  private static List<String> panelQueries() throws IOException {
    return panels().stream()
        .flatMap(panel -> stream(panel.path("targets")))
        .map(target -> grafanaMacros(target.path("expr").asText()))
        .toList();
  }

  private static String panelQuery(String title) throws IOException {
    return panels().stream()
        .filter(panel -> panel.path("title").asText().equals(title))
        .map(panel -> grafanaMacros(panel.path("targets").get(0).path("expr").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no panel " + title));
  }

  private static List<JsonNode> panels() throws IOException {
    List<JsonNode> panels = new ArrayList<>();
    try (Stream<Path> files = Files.list(PROJECT_DASHBOARDS.resolve("grafana/dashboards"))) {
      for (Path file : files.sorted().toList()) {
        JSON.readTree(file.toFile()).path("panels").forEach(panels::add);
      }
    }
    return panels;
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items.stream();
  }

  private static String grafanaMacros(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__range", "15m");
  }

  private static JsonNode prometheus(String query) throws Exception {
    return get(
        "http://127.0.0.1:"
            + PROMETHEUS_PORT
            + "/api/v1/query?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8));
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer dev-backend-key")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + APP_PORT + path))
                .header("Authorization", "Bearer dev-backend-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isLessThan(300);
    return JSON.readTree(response.body());
  }

  private static void start(String name, Path work, String... command) throws IOException {
    File log =
        Files.createDirectories(Path.of("target", "e2e-programs")).resolve(name + ".log").toFile();
    PROGRAMS.add(
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start());
  }
}

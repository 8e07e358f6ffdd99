package io.memberflow.dev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.stack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * schemathesis (a tool nobody here wrote) against the production jar on a real Temporal server:
 * every operation of the served OpenAPI document, with examples, boundary cases, random and
 * schema-violating data, and stateful sequences along the document's links. It must find no 5xx, no
 * answer the document does not describe, and no invalid input taken; and the connections it aims at
 * with input that is refused must be exactly as they were.
 */
class ApiFuzzE2E {

  /** Pinned in scripts/install-schemathesis, which .ci/run calls. */
  static final String VERSION = "4.32.5";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PORT = EmbeddedTestPorts.freePort();
  private static final String BACKEND = "Bearer " + LocalStack.BACKEND_KEY;
  private static final String MX_WEBHOOK_USERNAME = "mx";
  private static final String MX_WEBHOOK_PASSWORD = "schemathesis-mx-webhook-password";
  private static final Path REPORTS =
      Path.of("target", "schemathesis", System.getProperty("memberflow.it.temporal", "dev"));

  /** The connections the configuration aims relays and starts at; see schemathesis.toml. */
  private static final Map<String, String> SEEDS =
      Map.of(
          "seed-waiting",
          "",
          "seed-waiting-too",
          "",
          "seed-denied",
          "DENIED",
          "seed-impeded",
          "IMPEDED");

  private LocalStack stack;

  /** The production jar on the Temporal the build runs this on (dev server or PostgreSQL). */
  @BeforeEach
  void startStack() throws Exception {
    stack = new LocalStack("schemathesis");
    stack.startTemporal();
    stack.startSandbox();
    stack.startService(
        PORT,
        "--memberflow.mx.webhooks.username=" + MX_WEBHOOK_USERNAME,
        "--memberflow.mx.webhooks.password=" + MX_WEBHOOK_PASSWORD);
  }

  @AfterEach
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void schemathesisFindsNothingAndRefusedInputChangesNoConnection() throws Exception {
    Map<String, JsonNode> before = new LinkedHashMap<>();
    for (Map.Entry<String, String> seed : SEEDS.entrySet()) {
      before.put(seed.getKey(), seed(seed.getKey(), seed.getValue()));
    }

    Files.createDirectories(REPORTS);
    Path config = REPORTS.resolve("schemathesis.toml");
    try (InputStream in = getClass().getResourceAsStream("/schemathesis/schemathesis.toml")) {
      Files.copy(in, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path output = REPORTS.resolve("output.txt");
    ProcessBuilder run =
        new ProcessBuilder(
                schemathesis(),
                "--config-file",
                config.toString(),
                "run",
                "http://localhost:" + PORT + "/v3/api-docs",
                "--checks",
                "all",
                // A valid-looking request may rightly be refused for the connection's state.
                "--exclude-checks",
                "positive_data_acceptance",
                "--max-examples",
                "100",
                "--seed",
                "20261125",
                "--no-color",
                "--report",
                "junit,har",
                "--report-dir",
                REPORTS.toString(),
                "--report-har-path",
                REPORTS.resolve("exchanges.har").toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    run.environment().put("MEMBERFLOW_BACKEND_KEY", LocalStack.BACKEND_KEY);
    run.environment().put("MEMBERFLOW_OPERATOR_KEY", LocalStack.OPERATOR_KEY);
    run.environment().put("MX_WEBHOOK_USERNAME", MX_WEBHOOK_USERNAME);
    run.environment().put("MX_WEBHOOK_PASSWORD", MX_WEBHOOK_PASSWORD);
    Process schemathesis = run.start();
    boolean ended = schemathesis.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      schemathesis.destroyForcibly();
    }
    String report = Files.readString(output);
    summary(report).forEach(System.out::println);
    assertThat(ended).as("schemathesis within 5 minutes").isTrue();
    assertThat(schemathesis.exitValue()).as(report).isZero();

    List<Exchange> exchanges = exchanges(REPORTS.resolve("exchanges.har"));
    for (String seed : SEEDS.keySet()) {
      List<Exchange> changing = exchanges.stream().filter(e -> e.mayChange(seed)).toList();
      assertThat(changing).as("requests refused for %s", seed).anyMatch(e -> !e.taken());
      assertOnlyTakenRequestsChanged(seed, before.get(seed).path("transitions"), changing);
      System.out.printf(
          "schemathesis: %s: %d requests refused, %d taken, nothing else changed it%n",
          seed,
          changing.stream().filter(e -> !e.taken()).count(),
          changing.stream().filter(Exchange::taken).count());
    }
  }

  /**
   * Walks the requests that named the connection in the order they were made. Each taken one
   * answered with the connection's transitions: they must extend what was known before, and what
   * they add must have happened after the request was made (or after an earlier request answered
   * 202, which goes on). A refused request in between that changed anything would show up as a
   * transition from before the next taken one; after the last one, nothing may be added at all. A
   * start that creates the connection anew (the old one had ended) begins a new history.
   */
  private void assertOnlyTakenRequestsChanged(
      String seed, JsonNode initially, List<Exchange> requests) throws Exception {
    List<JsonNode> known = list(initially);
    Instant since = null;
    for (Exchange request : requests) {
      if (!request.taken()) {
        continue;
      }
      List<JsonNode> answered = list(JSON.readTree(request.answer()).path("transitions"));
      if (request.startedAnew()) {
        // The connection had ended, and this start began a new one under the same id.
        known = answered;
        since = null;
        continue;
      }
      Instant from = since == null ? request.started() : since;
      known = extended(seed, known, answered, from);
      since = request.status() == 202 ? from : null;
    }
    List<JsonNode> now = list(read(seed).path("transitions"));
    extended(seed, known, now, since == null ? Instant.MAX : since);
  }

  private static List<JsonNode> extended(
      String seed, List<JsonNode> known, List<JsonNode> now, Instant from) {
    assertThat(now).as("%s keeps its history", seed).startsWith(known.toArray(JsonNode[]::new));
    for (JsonNode added : now.subList(known.size(), now.size())) {
      assertThat(Instant.parse(added.path("at").asText()))
          .as("%s: %s happened after the request that made it", seed, added)
          .isAfterOrEqualTo(from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
    return now;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  /** A connection in a known state: waiting, or after the browser relayed an error. */
  private JsonNode seed(String id, String errorReason) throws Exception {
    JsonNode started =
        call(
            "POST",
            "/v1/connections",
            "{\"user_id\":\"user-"
                + id
                + "\",\"member_id\":\""
                + id
                + "\",\"institution_code\":\"mx_bank_oauth\"}");
    if (!errorReason.isEmpty()) {
      call(
          "POST",
          "/v1/connections/" + id + "/oauth-messages",
          "{\"mx\":true,\"type\":\"oauthComplete/error\",\"metadata\":{\"member_guid\":\""
              + started.path("member_guid").asText()
              + "\",\"error_reason\":\""
              + errorReason
              + "\"}}");
    }
    return read(id);
  }

  private JsonNode read(String id) throws Exception {
    return call("GET", "/v1/connections/" + id, null);
  }

  private JsonNode call(String method, String path, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", BACKEND)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  /** Python's and the workflow's clocks read the same system clock at different moments. */
  private static final long CLOCK_SLACK_MS = 20;

  /** One request schemathesis made, when, and what it was answered. */
  record Exchange(
      String method, String path, String body, Instant started, int status, String answer) {

    /**
     * A request that could change the connection: any POST naming it, in its path or as the member.
     */
    boolean mayChange(String id) {
      return (method.equals("POST")
              && (path.startsWith("/v1/connections/" + id + "/")
                  || (path.equals("/v1/connections") && id.equals(memberId()))))
          || (method.equals("DELETE") && path.equals("/v1/connections/" + id));
    }

    /** The start's member_id; none when the body is not JSON (such a start is refused). */
    private String memberId() {
      try {
        return JSON.readTree(body).path("member_id").asText(null);
      } catch (IOException notJson) {
        return null;
      }
    }

    boolean taken() {
      return status / 100 == 2;
    }

    boolean startedAnew() {
      return path.equals("/v1/connections") && (status == 201 || status == 202);
    }
  }

  private static List<Exchange> exchanges(Path har) throws IOException {
    List<Exchange> exchanges = new ArrayList<>();
    for (JsonNode entry : JSON.readTree(har.toFile()).path("log").path("entries")) {
      JsonNode request = entry.path("request");
      exchanges.add(
          new Exchange(
              request.path("method").asText(),
              URI.create(request.path("url").asText()).getRawPath(),
              request.path("postData").path("text").asText(""),
              // schemathesis stamps an exchange when its answer is in: it was sent `time` ms
              // before.
              OffsetDateTime.parse(entry.path("startedDateTime").asText())
                  .toInstant()
                  .minusMillis((long) Math.ceil(entry.path("time").asDouble()) + CLOCK_SLACK_MS),
              entry.path("response").path("status").asInt(),
              entry.path("response").path("content").path("text").asText("")));
    }
    exchanges.sort(Comparator.comparing(Exchange::started));
    return exchanges;
  }

  /** What the note needs: operations, cases, failures. */
  private static Stream<String> summary(String report) {
    return report
        .lines()
        .filter(
            line ->
                line.contains("Selected:")
                    || line.contains("generated")
                    || line.contains("passed")
                    || line.contains("failures")
                    || line.contains("Scenarios:")
                    || line.contains("Failures:"))
        .map(line -> "schemathesis: " + line.strip());
  }

  /** {@code st} on the PATH, as scripts/install-schemathesis leaves it, at the pinned version. */
  private static String schemathesis() throws Exception {
    Process version = new ProcessBuilder("st", "--version").redirectErrorStream(true).start();
    String said = new String(version.getInputStream().readAllBytes()).strip();
    if (version.waitFor() != 0 || !said.endsWith("version " + VERSION)) {
      throw new IllegalStateException(
          "schemathesis "
              + VERSION
              + " is needed on the PATH (scripts/install-schemathesis; .ci/run does); found: "
              + said);
    }
    return "st";
  }
}

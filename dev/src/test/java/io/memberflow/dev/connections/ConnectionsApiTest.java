package io.memberflow.dev.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.ReceivedWebhook;
import io.memberflow.sandbox.SandboxBrowser;
import io.memberflow.service.security.AppRedirects;
import io.memberflow.service.security.BrowserTokens;
import io.memberflow.service.security.SecurityProperties;
import io.memberflow.service.web.FrontendProperties;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API as a backend and a browser use it, over HTTP, against the embedded Temporal server and MX
 * sandbox. Every refused request must leave the connection as it was.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "memberflow.api.update-wait=3s",
      "memberflow.frontend.allowed-origins=http://frontend.example"
    })
@AutoConfigureObservability
class ConnectionsApiTest {

  private static final String BACKEND = "Bearer dev-backend-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A known port: APP flows send MX's redirect to memberflow's own public URL. */
  @DynamicPropertySource
  static void ports(DynamicPropertyRegistry registry) {
    EmbeddedTestPorts.register(registry);
    EmbeddedTestPorts.registerServer(registry);
  }

  @LocalServerPort int port;

  @Value("${memberflow.embedded.temporal.port}")
  int temporalPort;

  @Autowired MxSandbox sandbox;
  @Autowired DataConverter dataConverter;
  private final HttpClient http = HttpClient.newHttpClient();
  private static ApiContract contract;

  record Reply(int status, JsonNode body, java.net.http.HttpHeaders headers) {
    String text(String field) {
      return body.path(field).asText(null);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private Reply call(String method, String path, String authorization, String body)
      throws Exception {
    return call(method, path, authorization, body, StandardCharsets.UTF_8);
  }

  /** With the body in {@code charset}, which the Content-Type names unless it is UTF-8. */
  private Reply call(String method, String path, String authorization, String body, Charset charset)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header(
                "Content-Type",
                charset.equals(StandardCharsets.UTF_8)
                    ? "application/json"
                    : "application/json; charset=" + charset.name())
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, charset));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpRequest sent = request.build();
    HttpResponse<String> response = http.send(sent, HttpResponse.BodyHandlers.ofString());
    contract().assertKept(method, body, sent.headers().map(), response);
    String text = response.body();
    return new Reply(
        response.statusCode(),
        text.isEmpty() ? JSON.nullNode() : JSON.readTree(text),
        response.headers());
  }

  /** The document as the service serves it, read once per test class. */
  private ApiContract contract() throws Exception {
    if (contract == null) {
      HttpResponse<String> document =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(document.statusCode()).isEqualTo(200);
      contract = new ApiContract(document.body());
    }
    return contract;
  }

  private Reply start(String memberId) throws Exception {
    return start(memberId, "mx_bank_oauth");
  }

  private Reply start(String memberId, String institution) throws Exception {
    return call(
        "POST",
        "/v1/connections",
        BACKEND,
        "{\"user_id\":\"user-"
            + memberId
            + "\",\"member_id\":\""
            + memberId
            + "\",\"institution_code\":\""
            + institution
            + "\"}");
  }

  private static String message(String memberGuid, String reason) {
    return reason == null
        ? "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\""
            + memberGuid
            + "\"}}"
        : "{\"mx\":true,\"type\":\"oauthComplete/error\",\"metadata\":{\"member_guid\":\""
            + memberGuid
            + "\",\"error_reason\":\""
            + reason
            + "\"}}";
  }

  private Reply relay(Reply started, String body) throws Exception {
    return call(
        "POST",
        "/v1/connections/" + started.text("connection_id") + "/oauth-messages",
        "Bearer " + started.text("browser_token"),
        body);
  }

  /** The user completes the OAuth in the sandbox's window; the browser relays what it posted. */
  private Reply connect(Reply started) throws Exception {
    String posted =
        new SandboxBrowser(sandbox.baseUrl())
            .completeOAuth(started.text("oauth_window_uri"), "success");
    return relay(started, posted);
  }

  private Reply read(String id) throws Exception {
    return call("GET", "/v1/connections/" + id, BACKEND, null);
  }

  @Test
  void startReturnsTheFirstWindowAndABrowserToken() throws Exception {
    Reply started = start("api-start");

    assertThat(started.status()).isEqualTo(201);
    assertThat(started.text("state")).isEqualTo("AWAITING_OAUTH");
    assertThat(started.text("oauth_window_uri"))
        .startsWith(sandbox.baseUrl() + "/oauth/predirect_to/");
    assertThat(started.text("member_guid")).startsWith("MBR-");
    assertThat(started.body().path("attempt").asInt()).isEqualTo(1);
    assertThat(started.text("browser_token")).isNotBlank();

    Reply asBrowser =
        call("GET", "/v1/connections/api-start", "Bearer " + started.text("browser_token"), null);
    assertThat(asBrowser.status()).isEqualTo(200);
    assertThat(asBrowser.text("oauth_window_uri")).isEqualTo(started.text("oauth_window_uri"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"platform", "atrium", "nexus"})
  void everyMxApiCanBeChosenPerConnection(String api) throws Exception {
    Reply started =
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u-"
                + api
                + "\",\"member_id\":\"api-flavour-"
                + api
                + "\",\"institution_code\":\"mx_bank_oauth\",\"mx_api\":\""
                + api
                + "\"}");

    assertThat(started.status()).isEqualTo(201);
    assertThat(started.text("mx_api")).isEqualTo(api);
    assertThat(sandbox.exchanges())
        .anyMatch(
            e ->
                e.requestBody().contains("api-flavour-" + api)
                    && e.path()
                        .startsWith(api.equals("platform") ? "/users" : "/" + api + "/users"));
    assertThat(connect(started).text("state")).isEqualTo("CONNECTED");
  }

  @Test
  void theDefaultMxApiIsPlatform() throws Exception {
    assertThat(start("api-default-flavour").text("mx_api")).isEqualTo("platform");
  }

  @Test
  void aSlowStartAnswersAcceptedWithWhereToLookAndGoesOn() throws Exception {
    // Opening the member takes two MX calls for a new user: 5 s, past the update wait of 3 s.
    sandbox.setFaults(new Faults(0, List.of(503), Duration.ofMillis(2500)));
    Reply started;
    try {
      started = start("api-slow");
    } finally {
      sandbox.setFaults(Faults.NONE);
    }

    assertThat(started.status()).isEqualTo(202);
    // The workflow calls MX within its task (a local activity) and answers a read once the call
    // is over: the connection as MX's answer left it, its first window out.
    assertThat(started.text("state")).isEqualTo("AWAITING_OAUTH");
    assertThat(started.header("Location")).isEqualTo("/v1/connections/api-slow");
    assertThat(started.header("Retry-After")).isEqualTo("1");
    assertThat(started.text("browser_token")).isNotBlank();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(read("api-slow").text("state")).isEqualTo("AWAITING_OAUTH"));
  }

  @Test
  void startingTwiceReturnsTheSameConnectionAndCreatesOneMember() throws Exception {
    Reply first = start("api-twice");
    Reply second = start("api-twice");

    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text("member_guid")).isEqualTo(first.text("member_guid"));
    assertThat(second.text("oauth_window_uri")).isEqualTo(first.text("oauth_window_uri"));
    assertThat(sandbox.exchanges())
        .filteredOn(
            e ->
                e.method().equals("POST")
                    && e.path().endsWith("/members")
                    && e.requestBody().contains("\"api-twice\""))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(202);
  }

  /**
   * A double-clicking user or a retrying backend: 100 starts of one member, 50 at a time. None is
   * refused (Temporal takes only a few updates of one workflow at a time), none waits long.
   */
  @Test
  void ofManyConcurrentStartsOfOneMemberOneIsCreatedNoneRefusedNoneSlow() throws Exception {
    int starts = 100;
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      List<Duration> waits = new CopyOnWriteArrayList<>();
      for (int i = 0; i < starts; i++) {
        replies.add(
            clients.submit(
                () -> {
                  long began = System.nanoTime();
                  Reply reply = start("api-crowd");
                  waits.add(Duration.ofNanos(System.nanoTime() - began));
                  return reply;
                }));
      }
      Map<Integer, Integer> byStatus = new TreeMap<>();
      Set<String> windows = new HashSet<>();
      for (var reply : replies) {
        Reply r = reply.get();
        byStatus.merge(r.status(), 1, Integer::sum);
        windows.add(r.text("oauth_window_uri"));
      }
      Duration slowest = waits.stream().max(Duration::compareTo).orElseThrow();
      System.out.printf(
          "%d concurrent starts of one member: %s, slowest %d ms%n",
          starts, byStatus, slowest.toMillis());
      assertThat(byStatus).containsExactly(Map.entry(200, starts - 1), Map.entry(201, 1));
      assertThat(windows).hasSize(1);
      assertThat(slowest).isLessThan(Duration.ofSeconds(2));
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aRequestTheConnectionNoLongerTakesHearsWhatItIs() throws Exception {
    start("api-cancel-twice");
    assertThat(call("POST", "/v1/connections/api-cancel-twice/cancel", BACKEND, null).status())
        .isEqualTo(200);

    Reply again = call("POST", "/v1/connections/api-cancel-twice/cancel", BACKEND, null);

    assertRefused(again, 409, "CANCELLED");
    assertThat(again.text("state")).isEqualTo("CANCELLED");
    assertThat(again.body().path("connection").path("state").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void successEndsConnected() throws Exception {
    Reply started = start("api-success");

    Reply after = connect(started);

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.text("state")).isEqualTo("CONNECTED");
    assertThat(after.body().path("oauth_window_uri").isNull()).isTrue();
    assertThat(after.text("aggregation")).isEqualTo("AGGREGATING");
    // MX's first aggregation ends; the integrator learns the accounts are there.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(read("api-success").text("aggregation")).isEqualTo("DATA_READY");
              assertThat(sandbox.receivedWebhooks())
                  .filteredOn(
                      w ->
                          w.payload()
                              .path("data")
                              .path("connection_id")
                              .asText()
                              .equals("api-success"))
                  .extracting(ReceivedWebhook::type)
                  .containsExactly("connection.connected", "connection.data_ready");
            });
  }

  @Test
  void aRelayedSuccessForAnOAuthThatNeverHappenedDoesNotConnect() throws Exception {
    Reply started = start("api-forged");

    Reply after = relay(started, message(started.text("member_guid"), null));

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.text("state")).isEqualTo("CONFIRMING");
    assertThat(read("api-forged").text("state")).isEqualTo("CONFIRMING");
    assertThat(sandbox.receivedWebhooks())
        .filteredOn(
            w -> w.payload().path("data").path("connection_id").asText().equals("api-forged"))
        .isEmpty();
  }

  @Test
  void cancelledYieldsAFreshUri() throws Exception {
    Reply started = start("api-cancelled");

    Reply after = relay(started, message(started.text("member_guid"), "CANCELLED"));

    assertThat(after.text("state")).isEqualTo("AWAITING_OAUTH");
    assertThat(after.body().path("attempt").asInt()).isEqualTo(2);
    assertThat(after.text("last_error_reason")).isEqualTo("CANCELLED");
    assertThat(after.text("oauth_window_uri"))
        .isNotBlank()
        .isNotEqualTo(started.text("oauth_window_uri"));
  }

  @Test
  void impededSendsASignedWebhookAndResumeGoesOn() throws Exception {
    Reply started = start("api-impeded");

    Reply waiting = relay(started, message(started.text("member_guid"), "IMPEDED"));
    assertThat(waiting.text("state")).isEqualTo("ACTION_REQUIRED");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(sandbox.receivedWebhooks())
                    .filteredOn(
                        w ->
                            w.payload()
                                .path("data")
                                .path("connection_id")
                                .asText()
                                .equals("api-impeded"))
                    .singleElement()
                    .satisfies(
                        w -> {
                          assertThat(w.signatureValid()).isTrue();
                          assertThat(w.type()).isEqualTo("connection.action_required");
                        }));

    Reply resumed =
        call(
            "POST",
            "/v1/connections/api-impeded/resume",
            "Bearer " + started.text("browser_token"),
            null);
    assertThat(resumed.text("state")).isEqualTo("AWAITING_OAUTH");
    assertThat(resumed.text("oauth_window_uri")).isNotEqualTo(started.text("oauth_window_uri"));
  }

  @Test
  void providerErrorWaitsForARetry() throws Exception {
    Reply started = start("api-provider");

    Reply waiting = relay(started, message(started.text("member_guid"), "PROVIDER_ERROR"));
    assertThat(waiting.text("state")).isEqualTo("PROVIDER_UNAVAILABLE");

    Reply retried = call("POST", "/v1/connections/api-provider/retry", BACKEND, null);
    assertThat(retried.text("state")).isEqualTo("AWAITING_OAUTH");
    assertThat(retried.body().path("attempt").asInt()).isEqualTo(2);
  }

  @Test
  void cancelEndsTheConnection() throws Exception {
    start("api-cancel");

    Reply cancelled = call("POST", "/v1/connections/api-cancel/cancel", BACKEND, null);

    assertThat(cancelled.text("state")).isEqualTo("CANCELLED");
  }

  @Test
  void institutionWithoutOAuthFailsWithTheReason() throws Exception {
    Reply started = start("api-no-oauth", "mxbank");

    assertThat(started.text("state")).isEqualTo("FAILED");
    assertThat(started.text("failure_reason")).isEqualTo("OAUTH_NOT_SUPPORTED");
    assertThat(started.text("failure_detail")).isEqualTo("Member cannot use OAuth");
  }

  // --- refused input: a 4xx with the reason, and the connection unchanged ---

  private void assertRefused(Reply reply, int status, String reason) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.text("detail")).contains(reason);
    assertThat(reply.text("title")).isNotBlank();
  }

  private void assertUnchanged(String id, Reply before) throws Exception {
    Reply now = read(id);
    assertThat(now.body().path("state")).isEqualTo(before.body().path("state"));
    assertThat(now.body().path("attempt")).isEqualTo(before.body().path("attempt"));
    assertThat(now.body().path("oauth_window_uri"))
        .isEqualTo(before.body().path("oauth_window_uri"));
    assertThat(now.body().path("transitions")).isEqualTo(before.body().path("transitions"));
  }

  @Test
  void bodiesInAnotherCharsetThanUtf8AreRefusedAndChangeNothing() throws Exception {
    Reply started = start("api-utf16");
    Reply before = read("api-utf16");

    // Before, both were decoded as declared and taken: the relay cancelled this connection's
    // window, the start began another.
    assertRefused(
        call(
            "POST",
            "/v1/connections/api-utf16/oauth-messages",
            "Bearer " + started.text("browser_token"),
            message(started.text("member_guid"), "CANCELLED"),
            StandardCharsets.UTF_16),
        415,
        "the body must be UTF-8 JSON");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"api-utf16-start\",\"institution_code\":\"mx_bank_oauth\"}",
            StandardCharsets.UTF_16),
        415,
        "the body must be UTF-8 JSON");

    assertUnchanged("api-utf16", before);
    assertThat(read("api-utf16-start").status()).isEqualTo(404);
  }

  @Test
  void badMessagesAreRefusedWithTheReasonAndChangeNothing() throws Exception {
    Reply started = start("api-bad-messages");
    String guid = started.text("member_guid");
    Reply before = read("api-bad-messages");

    assertRefused(
        relay(started, message("MBR-not-this-one", null)),
        422,
        "MBR-not-this-one does not belong to this connection");
    assertThat(relay(started, message("MBR-not-this-one", null)).text("detail"))
        .doesNotContain(guid);
    assertRefused(
        relay(
            started,
            "{\"mx\":true,\"type\":\"oauthComplete/maybe\",\"metadata\":{\"member_guid\":\""
                + guid
                + "\"}}"),
        400,
        "type must be");
    assertRefused(
        relay(started, message(guid, "BORED")), 400, "error_reason \"BORED\" is not one of");
    assertRefused(
        relay(
            started,
            "{\"mx\":false,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\""
                + guid
                + "\"}}"),
        400,
        "mx must be true");
    assertRefused(
        relay(
            started,
            "{\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\"" + guid + "\"}}"),
        400,
        "mx must be true");
    assertRefused(
        relay(
            started,
            "{\"mx\":true,\"type\":\"oauthComplete/error\",\"metadata\":{\"member_guid\":\""
                + guid
                + "\"}}"),
        400,
        "error_reason is required");
    assertRefused(relay(started, "{\"mx\":true,\"type\":"), 400, "not valid JSON");
    assertRefused(relay(started, "[1,2]"), 400, "postMessage data object");
    assertRefused(
        relay(started, "{\"mx\":true,\"padding\":\"" + "x".repeat(20_000) + "\"}"),
        413,
        "limited to");

    assertUnchanged("api-bad-messages", before);
  }

  @Test
  void actionsThatDoNotFitTheStateAreRefused() throws Exception {
    start("api-wrong-state");
    Reply before = read("api-wrong-state");

    assertRefused(
        call("POST", "/v1/connections/api-wrong-state/retry", BACKEND, null),
        409,
        "retry applies after DENIED or a provider error");
    assertRefused(
        call("POST", "/v1/connections/api-wrong-state/resume", BACKEND, null),
        409,
        "resume applies after IMPEDED");

    assertUnchanged("api-wrong-state", before);
  }

  @Test
  void messagesAndCancelsOfAConnectedMemberAreRefused() throws Exception {
    Reply started = start("api-after-end");
    connect(started);
    Reply before = read("api-after-end");

    assertRefused(
        relay(started, message(started.text("member_guid"), "CANCELLED")),
        409,
        "no OAuth window is open: the connection is CONNECTED");
    assertRefused(
        call("POST", "/v1/connections/api-after-end/cancel", BACKEND, null),
        409,
        "cancel applies while the connection is being made");
    assertRefused(
        call("POST", "/v1/connections/api-after-end/reconnect", BACKEND, null),
        409,
        "reconnect applies when MX reports that the user must sign in again");

    assertUnchanged("api-after-end", before);
  }

  /** The integrator's webhooks of one connection, in the order they arrived. */
  private List<String> webhooksOf(String connectionId) {
    return sandbox.receivedWebhooks().stream()
        .filter(w -> w.payload().path("data").path("connection_id").asText().equals(connectionId))
        .map(ReceivedWebhook::type)
        .toList();
  }

  /**
   * The member's life over the API: MX's webhooks need a server with visibility to reach the
   * connection, so a revoked token and its repair run in BrowserFlowsE2E, on the dev server.
   */
  @Test
  void aConnectedMemberLivesOnIsRefreshedWithinMxsRulesAndDisconnected() throws Exception {
    String id = "api-life";
    Reply started = start(id);
    connect(started);
    String guid = started.text("member_guid");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "DATA_READY".equals(read(id).text("aggregation")));

    Reply tooSoon = call("POST", "/v1/connections/" + id + "/refresh", BACKEND, null);
    assertRefused(tooSoon, 409, "too soon");
    assertThat(Long.parseLong(tooSoon.header("Retry-After")))
        .isBetween(3 * 3600 - 60L, 3 * 3600 + 1L);
    assertThat(tooSoon.body().path("connection").path("refresh_available_at").asText())
        .isNotBlank();

    // A start of the same member joins the connection that lives on.
    Reply again = start(id);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("state")).isEqualTo("CONNECTED");

    Reply disconnected = call("DELETE", "/v1/connections/" + id, BACKEND, null);
    assertThat(disconnected.status()).isEqualTo(200);
    assertThat(disconnected.text("state")).isEqualTo("DISCONNECTED");
    Reply repeated = call("DELETE", "/v1/connections/" + id, BACKEND, null);
    assertThat(repeated.status()).isEqualTo(200);
    assertThat(repeated.text("state")).isEqualTo("DISCONNECTED");
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.method().equals("DELETE") && e.path().endsWith(guid))
        .extracting(MxSandbox.Exchange::status)
        .containsExactly(204);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(webhooksOf(id))
                    .containsExactly(
                        "connection.connected",
                        "connection.data_ready",
                        "connection.disconnected"));
  }

  @Test
  void lifeActionsAreForBackendsOnly() throws Exception {
    Reply started = start("api-life-browser");
    String token = "Bearer " + started.text("browser_token");
    for (String[] call :
        new String[][] {{"POST", "/reconnect"}, {"POST", "/refresh"}, {"DELETE", ""}}) {
      Reply refused = call(call[0], "/v1/connections/api-life-browser" + call[1], token, null);
      assertRefused(refused, 401, "backend API key is required");
    }
    assertThat(read("api-life-browser").text("state")).isEqualTo("AWAITING_OAUTH");
  }

  private HttpResponse<String> browse(String url) throws Exception {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void appFlowsComeBackThroughMemberflowAndOnToTheApp() throws Exception {
    Reply started =
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u-app\",\"member_id\":\"api-app\",\"institution_code\":\"mx_bank_oauth\","
                + "\"referral_source\":\"APP\",\"ui_message_webview_url_scheme\":\"myapp\"}");
    // What the connection keeps and shows is unsigned; only MX gets a signed one.
    assertThat(started.body().path("window_options").path("client_redirect_url").asText())
        .isEqualTo("http://localhost:" + port + "/v1/connections/api-app/app-redirect");
    assertThat(redirectMxGot("api-app"))
        .matches(
            "http://localhost:"
                + port
                + "/v1/connections/api-app/app-redirect\\?attempt=1&expires=\\d+&sig=[\\w-]+");
    String uri = started.text("oauth_window_uri");
    assertThat(browse(uri).statusCode()).isEqualTo(200);

    HttpResponse<String> back =
        browse(
            sandbox.baseUrl()
                + "/oauth/complete/"
                + uri.substring(uri.lastIndexOf('/') + 1)
                + "?outcome=success");

    assertThat(back.uri().getPath()).isEqualTo("/v1/connections/api-app/app-redirect");
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.body())
        .contains("href=\"myapp://memberflow/connections/api-app?state=CONNECTED\"");
    assertThat(read("api-app").text("state")).isEqualTo("CONNECTED");
    HttpResponse<String> again = browse(back.uri().toString());
    assertThat(again.statusCode()).as("a redirect URL works once").isEqualTo(409);
    assertThat(sandbox.exchanges())
        .filteredOn(e -> e.path().endsWith("/members") && e.requestBody().contains("\"api-app\""))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.requestBody())
                    .contains("\"referral_source\":\"APP\"")
                    .contains("\"ui_message_webview_url_scheme\":\"myapp\""));
    assertThat(sandbox.exchanges())
        .as("the first window came with the member MX created, for the APP referral it was sent")
        .filteredOn(
            e ->
                e.path().endsWith("/oauth_window_uri")
                    && e.path().contains(started.text("member_guid")))
        .isEmpty();
  }

  @Test
  void badAppRedirectsAreRefusedWithTheReason() throws Exception {
    Reply started =
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u-app2\",\"member_id\":\"api-app-bad\",\"institution_code\":\"mx_bank_oauth\","
                + "\"referral_source\":\"APP\",\"ui_message_webview_url_scheme\":\"myapp\"}");
    String signed = redirectMxGot("api-app-bad");
    String guid = started.text("member_guid");

    HttpResponse<String> unsigned =
        browse(
            "http://localhost:"
                + port
                + "/v1/connections/api-app-bad/app-redirect?member_guid="
                + guid
                + "&status=success");
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("not the redirect memberflow gave MX");
    HttpResponse<String> unknown = browse(signed + "&member_guid=" + guid + "&status=maybe");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("status must be success or error");
    HttpResponse<String> noReason = browse(signed + "&member_guid=" + guid + "&status=error");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("error_reason is required");
    Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
    String expired =
        new AppRedirects(tokens, frontend, Clock.fixed(anHourAgo, ZoneOffset.UTC), security)
            .sign(redirects.url("api-app-bad"), 1);
    HttpResponse<String> late = browse(expired + "&member_guid=" + guid + "&status=success");
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(late.body()).contains("this redirect has expired");
    HttpResponse<String> otherWindow =
        browse(
            redirects.sign(redirects.url("api-app-bad"), 2)
                + "&member_guid="
                + guid
                + "&status=success");
    assertThat(otherWindow.statusCode()).isEqualTo(409);
    assertThat(otherWindow.body()).contains("this redirect was for window 2");
    HttpResponse<String> forged =
        browse(
            signed.replace("attempt=1", "attempt=2") + "&member_guid=" + guid + "&status=success");
    assertThat(forged.statusCode()).isEqualTo(403);
    HttpResponse<String> foreign = browse(signed + "&member_guid=MBR-other&status=success");
    assertThat(foreign.statusCode()).isEqualTo(422);
    assertThat(foreign.body()).contains("does not belong to this connection").doesNotContain(guid);
    assertThat(read("api-app-bad").text("state")).isEqualTo("AWAITING_OAUTH");

    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"referral_source\":\"APP\",\"ui_message_webview_url_scheme\":\"javascript\"}"),
        400,
        "must be the app's own scheme");
  }

  @Test
  void aBrowserConnectionTakesNoAppRedirect() throws Exception {
    start("api-browser-only");
    HttpResponse<String> refused =
        browse(
            redirects.sign(redirects.url("api-browser-only"), 1)
                + "&member_guid="
                + read("api-browser-only").text("member_guid")
                + "&status=success");

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(read("api-browser-only").text("state")).isEqualTo("AWAITING_OAUTH");
  }

  @Autowired AppRedirects redirects;
  @Autowired BrowserTokens tokens;
  @Autowired FrontendProperties frontend;
  @Autowired SecurityProperties security;

  /** The signed client_redirect_url MX got when the member was created. */
  private String redirectMxGot(String memberId) throws Exception {
    MxSandbox.Exchange created =
        sandbox.exchanges().stream()
            .filter(
                e ->
                    e.method().equals("POST")
                        && e.path().endsWith("/members")
                        && e.requestBody().contains("\"" + memberId + "\""))
            .findFirst()
            .orElseThrow();
    return JSON.readTree(created.requestBody()).path("client_redirect_url").asText();
  }

  @Test
  void pagesAndDataGetTheirOwnSecurityHeaders() throws Exception {
    HttpResponse<String> demo = browse("http://localhost:" + port + "/demo");
    assertThat(demo.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
    assertThat(demo.headers().firstValue("Cross-Origin-Opener-Policy"))
        .hasValue("same-origin-allow-popups");

    start("api-headers");
    HttpResponse<String> data =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/v1/connections/api-headers"))
                .header("Authorization", BACKEND)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(data.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors 'none'");
    assertThat(data.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
  }

  @Test
  void onlyConfiguredFrontendsMayCallFromTheBrowser() throws Exception {
    HttpResponse<String> allowed = preflight("http://frontend.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://frontend.example");
    HttpResponse<String> other = preflight("http://evil.example");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    // A page on that frontend reads a 202's Retry-After and Location.
    HttpResponse<String> read =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/connections/x"))
                .header("Origin", "http://frontend.example")
                .header("Authorization", BACKEND)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValueSatisfying(v -> assertThat(v).contains("Retry-After", "Location"));
  }

  private HttpResponse<String> preflight(String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/connections/x/oauth-messages"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,content-type")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamedBodiesOverTheLimitAreRefused() throws Exception {
    Reply started = start("api-streamed");
    byte[] big = ("{\"mx\":true,\"padding\":\"" + "x".repeat(40_000) + "\"}").getBytes();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:" + port + "/v1/connections/api-streamed/oauth-messages"))
                .header("Authorization", "Bearer " + started.text("browser_token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("limited to 16384 bytes");
    assertThat(read("api-streamed").text("state")).isEqualTo("AWAITING_OAUTH");
  }

  @Test
  void badStartsAreRefused() throws Exception {
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"mx_api\":\"ofx\"}"),
        400,
        "mx_api must be one of [platform, atrium, nexus]");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"mx_api\":\"PLATFORM\"}"),
        400,
        "mx_api must be one of [platform, atrium, nexus]");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\"}"),
        400,
        "user_id: must not be null");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u 1\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\"}"),
        400,
        "user_id: must be 1 to 128");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"referral_source\":\"FAX\"}"),
        400,
        "referral_source must be one of [BROWSER, APP]");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"client_redirect_url\":\"https://app.example/back\"}"),
        400,
        "client_redirect_url is memberflow's own");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"ui_message_webview_url_scheme\":\"myapp\"}"),
        400,
        "applies only to referral_source APP");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"referral_source\":\"APP\"}"),
        400,
        "needs ui_message_webview_url_scheme");

    start("api-taken");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"someone-else\",\"member_id\":\"api-taken\",\"institution_code\":\"mx_bank_oauth\"}"),
        409,
        "user_id differs");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"user-api-taken\",\"member_id\":\"api-taken\",\"institution_code\":\"mx_bank\"}"),
        409,
        "institution_code differs");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"user-api-taken\",\"member_id\":\"api-taken\",\"institution_code\":\"mx_bank_oauth\",\"mx_api\":\"nexus\"}"),
        409,
        "mx_api differs: connection api-taken is running with mx_api platform, not nexus");
  }

  @Test
  void listingOnAServerWithoutVisibilityIs501WithTheReason() throws Exception {
    start("api-unlisted");
    for (String path :
        List.of(
            "/v1/connections", "/v1/connections?state=AWAITING_OAUTH", "/v1/connection-counts")) {
      assertRefused(call("GET", path, BACKEND, null), 501, "needs Temporal visibility");
    }
    assertThat(read("api-unlisted").text("state")).isEqualTo("AWAITING_OAUTH");
  }

  @Test
  void theDemoStartIsValidatedLikeTheRest() throws Exception {
    for (String body :
        List.of(
            "{}", "{\"institution_code\":\"not_a_sandbox_bank\"}", "{\"institution_code\":7}")) {
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/demo/connections"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Before: 500 (NullPointerException) for {}, and any institution code started a connection.
      assertThat(refused.statusCode()).as(body).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).path("detail").asText())
          .contains("institution_code");
    }
  }

  @Test
  void dotIdsReachNoConnection() throws Exception {
    // Before, Tomcat resolved ".." and the request answered 200 from elsewhere.
    for (String path : List.of("/v1/connections/..", "/v1/connections/%2E%2E")) {
      assertRefused(call("GET", path, BACKEND, null), 400, "the path may not hold '..'");
    }
    assertRefused(
        call("POST", "/v1/connections/./retry", BACKEND, null), 400, "the path may not hold '..'");
    assertRefused(
        call(
            "POST",
            "/v1/connections",
            BACKEND,
            "{\"user_id\":\"u\",\"member_id\":\"..\",\"institution_code\":\"mx_bank_oauth\"}"),
        400,
        "member_id: must be 1 to 128");
  }

  @Test
  void badListingsAreRefusedBeforeTemporalIsAsked() throws Exception {
    assertRefused(
        call("GET", "/v1/connections?state=WAITING", BACKEND, null),
        400,
        "state must be one of [STARTING, AWAITING_OAUTH");
    assertRefused(
        call("GET", "/v1/connections?institution_code=x'%20OR%20'1'='1", BACKEND, null),
        400,
        "institution_code must be an MX institution code");
    assertRefused(
        call("GET", "/v1/connections?user_id=a%22b", BACKEND, null),
        400,
        "user_id must be 1 to 128");
    assertRefused(
        call("GET", "/v1/connections?page_size=0", BACKEND, null),
        400,
        "page_size must be 1 to 1000");
    assertRefused(
        call("GET", "/v1/connections?page_token=%25%25", BACKEND, null),
        400,
        "page_token must be the next_page_token");
    Reply started = start("api-listing-browser");
    assertThat(
            call("GET", "/v1/connections", "Bearer " + started.text("browser_token"), null)
                .status())
        .isEqualTo(401);
    assertThat(call("GET", "/v1/connection-counts", null, null).status()).isEqualTo(401);
  }

  @Test
  void unknownConnectionsAre404() throws Exception {
    assertRefused(read("api-never-started"), 404, "no connection api-never-started");
    assertRefused(
        call("POST", "/v1/connections/api-never-started/retry", BACKEND, null),
        404,
        "no connection api-never-started");
  }

  private String prometheus() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * Other clients reach the embedded server; what they read of a connection needs memberflow's
   * keys.
   */
  @Test
  void theEmbeddedTemporalServerTakesOtherClients() throws Exception {
    start("api-other-client");
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("localhost:" + temporalPort)
                .build());
    try {
      WorkflowStub withoutKeys =
          WorkflowClient.newInstance(stubs).newUntypedWorkflowStub("connection-api-other-client");
      assertThat(withoutKeys.describe().getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      assertThatThrownBy(() -> withoutKeys.query("view", ConnectionView.class))
          .hasStackTraceContaining(
              "No PayloadConverter is registered for an encoding: binary/encrypted");

      WorkflowStub withKeys =
          WorkflowClient.newInstance(
                  stubs, WorkflowClientOptions.newBuilder().setDataConverter(dataConverter).build())
              .newUntypedWorkflowStub("connection-api-other-client");
      assertThat(withKeys.query("view", ConnectionView.class).state())
          .isEqualTo(ConnectionState.AWAITING_OAUTH);
    } finally {
      stubs.shutdownNow();
    }
  }

  @Test
  void servesTheOpenApiDocumentAndMetrics() throws Exception {
    HttpResponse<String> docs =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(docs.statusCode()).isEqualTo(200);
    JsonNode document = JSON.readTree(docs.body());
    assertThat(document.path("paths").has("/v1/connections/{id}/oauth-messages")).isTrue();
    // The document speaks the API's snake_case (springdoc described camelCase before).
    assertThat(document.at("/components/schemas/StartConnection/properties").fieldNames())
        .toIterable()
        .contains("member_id", "user_id", "institution_code")
        .doesNotContain("memberId", "userId");
    assertThat(document.at("/components/schemas/Connection/properties").fieldNames())
        .toIterable()
        .contains("oauth_window_uri", "last_error_reason")
        .doesNotContain("oauthWindowUri");

    // No other test relays SESSION_ERROR, so its series counts this connection alone. Workflow-side
    // metrics reach the registry when Temporal's metrics scope reports, every ten seconds.
    Reply started = start("api-metrics");
    relay(started, message(started.text("member_guid"), "SESSION_ERROR"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(25))
        .untilAsserted(
            () ->
                assertThat(
                        prometheus()
                            .lines()
                            .filter(
                                l ->
                                    l.startsWith("memberflow_oauth_results_total{")
                                        && l.contains("result=\"SESSION_ERROR\""))
                            .toList())
                    .singleElement()
                    .satisfies(line -> assertThat(line).endsWith(" 1.0")));
    assertThat(prometheus())
        .contains("memberflow_connections_started_total")
        .contains("memberflow_oauth_uris_issued_total")
        .contains("memberflow_mx_requests_seconds_count{api=\"platform\"");
  }
}

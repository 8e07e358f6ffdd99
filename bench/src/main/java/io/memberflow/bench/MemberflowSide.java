package io.memberflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.sandbox.SandboxBrowser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a backend and a browser do with memberflow, through its public API only: the backend starts
 * the connection (following a 202 to the window), the browser completes the OAuth in the sandbox's
 * pages and relays the posted message with its browser token, and the backend reads until MX
 * confirmed the connection. Reads are paced as the answers ask ({@code Retry-After}): each is a
 * query the workflow's worker answers, and a client that polled faster would load the service it
 * measures.
 */
final class MemberflowSide implements Side {

  static final String INSTITUTION = "mx_bank_oauth";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final HttpClient http;
  private final SandboxBrowser browser;
  private final String serviceUrl;
  private final Part worker;
  private final AtomicLong repeated = new AtomicLong();
  private static final int MAX_REPEATS = 5;

  MemberflowSide(Stack stack, HttpClient http) {
    this.http = http;
    this.browser = new SandboxBrowser(stack.sandboxUrl(), http);
    this.serviceUrl = stack.serviceUrl();
    this.worker = stack.service;
  }

  @Override
  public String name() {
    return "memberflow";
  }

  SandboxBrowser browser() {
    return browser;
  }

  @Override
  public String workflowId(String memberId) {
    return "connection-" + memberId;
  }

  @Override
  public Part worker() {
    return worker;
  }

  @Override
  public long repeated() {
    return repeated.get();
  }

  @Override
  public FlowTimes run(String memberId) throws Exception {
    long began = System.nanoTime();
    Window window = start(memberId);
    long windowOut = System.nanoTime();
    String message = browser.completeOAuth(window.uri(), "success");
    long relayed = System.nanoTime();
    relay(memberId, window.browserToken(), message);
    return new FlowTimes(windowOut - began, System.nanoTime() - relayed);
  }

  record Window(String uri, String browserToken) {}

  /**
   * A new connection's first window, for a new user, skipping the aggregation after the OAuth: the
   * bare flow follows none either.
   */
  Window start(String memberId) throws IOException, InterruptedException {
    return start(memberId, "user-" + memberId, true);
  }

  /** A new connection's first window; a 202 (taken, window not out yet) is followed by reads. */
  Window start(String memberId, String userId, boolean skipAggregation)
      throws IOException, InterruptedException {
    var request =
        JSON.createObjectNode()
            .put("user_id", userId)
            .put("member_id", memberId)
            .put("institution_code", INSTITUTION);
    String body = (skipAggregation ? request.put("skip_aggregation", true) : request).toString();
    Reply started = call("POST", "/v1/connections", Stack.BACKEND_KEY, body);
    // 200: a start repeated after a 503 joined the connection the first one had made.
    started.expect(201, 200, 202);
    String token = started.body().path("browser_token").asText();
    Reply connection = started;
    Instant deadline = Instant.now().plus(PATIENCE);
    while (connection.body().path("oauth_window_uri").asText("").isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            memberId
                + ": no window within "
                + PATIENCE
                + ", state "
                + connection.body().path("state"));
      }
      connection = readAfter(connection, memberId);
    }
    return new Window(connection.body().path("oauth_window_uri").asText(), token);
  }

  /**
   * Relays the message; answers once the connection is CONNECTED (reading on after a 202 or
   * CONFIRMING).
   */
  void relay(String memberId, String browserToken, String message)
      throws IOException, InterruptedException {
    Reply connection =
        call("POST", "/v1/connections/" + memberId + "/oauth-messages", browserToken, message);
    connection.expect(200, 202);
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!"CONNECTED".equals(connection.body().path("state").asText())) {
      String state = connection.body().path("state").asText();
      if (!"CONFIRMING".equals(state) || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(memberId + ": relayed success left it " + state);
      }
      connection = readAfter(connection, memberId);
    }
  }

  JsonNode read(String memberId) throws IOException, InterruptedException {
    return readReply(memberId).body();
  }

  /**
   * The connection read again once the last answer's {@code Retry-After} (a second unless it said)
   * has passed.
   */
  private Reply readAfter(Reply last, String memberId) throws IOException, InterruptedException {
    Thread.sleep(Duration.ofSeconds(last.retryAfterSeconds()).toMillis());
    return readReply(memberId);
  }

  private Reply readReply(String memberId) throws IOException, InterruptedException {
    Reply reply = call("GET", "/v1/connections/" + memberId, Stack.BACKEND_KEY, null);
    reply.expect(200);
    return reply;
  }

  private record Reply(String what, int status, JsonNode body, long retryAfterSeconds) {
    void expect(int... statuses) {
      for (int status : statuses) {
        if (this.status == status) {
          return;
        }
      }
      throw new IllegalStateException(what + " answered " + status + ": " + body);
    }
  }

  /**
   * One request; a 503 (Temporal did not answer in time) is repeated after its Retry-After, as the
   * API asks: starts, reads and relays are idempotent.
   */
  private Reply call(String method, String path, String bearer, String body)
      throws IOException, InterruptedException {
    for (int repeats = 0; ; repeats++) {
      Reply reply = once(method, path, bearer, body);
      if (reply.status() != 503 || repeats == MAX_REPEATS) {
        return reply;
      }
      repeated.incrementAndGet();
      Thread.sleep(Duration.ofSeconds(reply.retryAfterSeconds()).toMillis());
    }
  }

  private Reply once(String method, String path, String bearer, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(serviceUrl + path))
                .timeout(PATIENCE)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
    return new Reply(method + " " + path, response.statusCode(), json, retryAfter);
  }
}

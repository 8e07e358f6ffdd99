package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.memberflow.sandbox.SandboxHttp.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MX simulator over real HTTP (on loopback unless configured otherwise). Start it in-process
 * with {@link #start} or as a program with {@link SandboxMain}; it holds its state in memory, and
 * in a file when configured with one.
 */
public final class MxSandbox implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MxSandbox.class);

  /** One request and its answer, kept for tests that check them against the official spec. */
  public record Exchange(
      String method,
      String path,
      String query,
      Map<String, String> requestHeaders,
      String requestBody,
      int status,
      String responseContentType,
      String responseBody) {}

  private final HttpServer server;
  private final ExecutorService executor;

  /** Runs what happens later at MX: status changes after a lag, aggregations, webhooks. */
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  private final MxWebhookSender mxWebhooks = new MxWebhookSender(timer);
  private final MemberEvents memberEvents;
  private final SandboxHttp http = new SandboxHttp();
  private final WebhookInbox inbox;

  /** The most recent exchanges; older ones are dropped so a long run does not fill memory. */
  private final Deque<Exchange> exchanges = new ConcurrentLinkedDeque<>();

  private static final int EXCHANGES_KEPT = 10_000;

  static {
    // The JDK server writes headers and body apart; with Nagle's algorithm on, every answer then
    // waits ~40 ms for the client's delayed ACK (measured: 44 ms per GET, 0.35 ms without). The
    // server reads this once, when its first instance in the JVM is made.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final AtomicInteger exchangeCount = new AtomicInteger();
  private final AtomicInteger faultTurn = new AtomicInteger();
  private final SandboxClock clock = new SandboxClock();
  private final SandboxState state;
  private final SandboxStore store;
  private volatile Faults faults;

  private MxSandbox(SandboxConfig config) throws IOException {
    this.faults = config.faults();
    this.server = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 0);
    this.store = config.stateFile() == null ? null : new SandboxStore(config.stateFile());
    this.state = store == null ? new SandboxState(() -> {}) : store.open(config.institutions());
    memberEvents = new MemberEvents(state, mxWebhooks, timer, clock);
    memberEvents.startBackgroundAggregations();
    OAuthPages pages = new OAuthPages(config, state, memberEvents, this::baseUrl);
    pages.register(http);
    new PlatformApi(config, new MxBehaviour(config, state, pages, memberEvents, "id"))
        .register(http);
    new AtriumApi(config, state, new MxBehaviour(config, state, pages, memberEvents, "identifier"))
        .register(http);
    new NexusApi(config, clock, new MxBehaviour(config, state, pages, memberEvents, "id"))
        .register(http);
    http.on("POST", "/_sandbox/clock", this::advanceClock);
    http.on(
        "POST",
        "/_sandbox/members/([^/]+)/connection_status",
        r -> changeStatus(r.pathParams().get(0), r.json()));
    this.inbox = config.webhookSecret() == null ? null : new WebhookInbox(config.webhookSecret());
    if (inbox != null) {
      inbox.register(http);
    }
    this.executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public static MxSandbox start(SandboxConfig config) {
    try {
      MxSandbox sandbox = new MxSandbox(config);
      sandbox.server.start();
      log.info("MX sandbox listening on {}", sandbox.baseUrl());
      return sandbox;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "MX sandbox could not listen on " + config.address() + ":" + config.port(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where clients reach it, e.g. {@code http://localhost:8091}. */
  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /** Where each API flavour is: the Platform API at the root, the others under their prefix. */
  public String platformBaseUrl() {
    return baseUrl();
  }

  public String atriumBaseUrl() {
    return baseUrl() + AtriumApi.PREFIX;
  }

  public String nexusBaseUrl() {
    return baseUrl() + NexusApi.PREFIX;
  }

  /** The sandbox's time, which tests move on to expire Nexus sessions. */
  public SandboxClock clock() {
    return clock;
  }

  /** Changes the injected faults while running. */
  public void setFaults(Faults faults) {
    this.faults = faults;
  }

  /** The latest exchanges, oldest first (at most the last {@value #EXCHANGES_KEPT}). */
  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /**
   * Sends MX's member, connection-status and aggregation webhooks to {@code url} from now on, with
   * these Basic credentials, as MX does once they are set in its client dashboard.
   */
  public void sendMxWebhooksTo(URI url, String username, String password) {
    mxWebhooks.sendTo(new MxWebhookSender.Receiver(url, username, password));
  }

  public void setMxWebhookFaults(MxWebhookFaults faults) {
    mxWebhooks.setFaults(faults);
  }

  /** How long MX lags behind the browser, and how its first aggregations go. */
  public void setMemberTimings(MemberTimings timings) {
    memberEvents.setTimings(timings);
  }

  /** MX webhooks sent so far, oldest first, with what the receiver answered. */
  public List<MxWebhookSender.Sent> sentMxWebhooks() {
    return mxWebhooks.sent();
  }

  /** Webhooks the inbox received; empty when no webhook secret was configured. */
  public List<ReceivedWebhook> receivedWebhooks() {
    return inbox == null ? List.of() : inbox.received();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Response response = injectedFault(exchange).orElseGet(() -> http.dispatch(exchange, body));
      record(exchange, body, response);
      response.headers().forEach(exchange.getResponseHeaders()::add);
      if (response.contentType() != null) {
        exchange.getResponseHeaders().add("Content-Type", response.contentType());
      }
      int length = response.body().length;
      exchange.sendResponseHeaders(response.status(), length == 0 ? -1 : length);
      if (length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (RuntimeException e) {
      log.error(
          "MX sandbox failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      throw e;
    }
  }

  /** What a status change asked of the sandbox came to. */
  public enum StatusChange {
    CHANGED,
    UNKNOWN_STATUS,
    UNKNOWN_MEMBER
  }

  /** MX's connection statuses, in the official spec's order. */
  public static List<String> connectionStatuses() {
    return ConnectionStatuses.ALL;
  }

  /**
   * The member's status changes as a revoked or expired token, or trouble at the institution, would
   * change it, and MX's webhooks follow (CONNECTION_STATUS only for the statuses MX sends it for).
   */
  public StatusChange changeConnectionStatus(String memberGuid, String status) {
    if (status == null || !ConnectionStatuses.ALL.contains(status)) {
      return StatusChange.UNKNOWN_STATUS;
    }
    return state
        .memberByGuid(memberGuid)
        .map(
            member -> {
              memberEvents.statusChanged(member, status);
              return StatusChange.CHANGED;
            })
        .orElse(StatusChange.UNKNOWN_MEMBER);
  }

  /**
   * {@code POST /_sandbox/members/{member_guid}/connection_status} with {@code
   * {"connection_status": "DENIED"}}: {@link #changeConnectionStatus} for another process.
   */
  private Response changeStatus(String memberGuid, JsonNode body) {
    JsonNode status = body == null ? null : body.get("connection_status");
    return switch (changeConnectionStatus(memberGuid, status == null ? null : status.asText())) {
      case CHANGED -> Response.noContent();
      case UNKNOWN_STATUS ->
          Response.error(
              400, "connection_status must be one of MX's statuses " + ConnectionStatuses.ALL);
      case UNKNOWN_MEMBER -> Response.error(404, "no member " + memberGuid);
    };
  }

  /**
   * {@code POST /_sandbox/clock?advance_seconds=N}: the same as {@link #clock()} for another
   * process.
   */
  private Response advanceClock(SandboxHttp.Request request) {
    try {
      clock.advance(
          Duration.ofSeconds(Long.parseLong(request.query().getOrDefault("advance_seconds", ""))));
      return Response.noContent();
    } catch (IllegalArgumentException e) {
      return Response.error(400, "advance_seconds must be a whole number of seconds, 0 or more");
    }
  }

  /** Faults hit the MX APIs only: the OAuth pages and the sandbox's own endpoints stay reliable. */
  private java.util.Optional<Response> injectedFault(HttpExchange exchange) {
    Faults current = faults;
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith("/oauth/") || path.startsWith("/_sandbox/")) {
      return java.util.Optional.empty();
    }
    if (!current.latency().isZero()) {
      try {
        Thread.sleep(current.latency().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (current.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < current.errorRate()) {
      int status =
          current
              .statuses()
              .get(Math.floorMod(faultTurn.getAndIncrement(), current.statuses().size()));
      Response fault = Response.error(status, "Injected fault " + status);
      // A rate limit says when to come back, as rate-limited APIs do.
      return java.util.Optional.of(status == 429 ? fault.withHeader("Retry-After", "2") : fault);
    }
    return java.util.Optional.empty();
  }

  private void record(HttpExchange exchange, byte[] body, Response response) {
    Map<String, String> headers =
        exchange.getRequestHeaders().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> String.join(",", e.getValue())));
    exchanges.addLast(
        new Exchange(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            headers,
            new String(body, java.nio.charset.StandardCharsets.UTF_8),
            response.status(),
            response.contentType(),
            response.bodyText()));
    if (exchangeCount.incrementAndGet() > EXCHANGES_KEPT && exchanges.pollFirst() != null) {
      exchangeCount.decrementAndGet();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      // Requests being handled finish first, so the store's last write holds their changes.
      executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    timer.shutdownNow();
    if (store != null) {
      store.close();
    }
  }
}

package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.durability.Flows.Reply;
import io.memberflow.dev.stack.LocalStack;
import io.memberflow.dev.stack.LocalStack.Service;
import io.memberflow.dev.stack.TemporalServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Durability on a real Temporal server (the Temporal CLI's dev server on SQLite), with the server,
 * the MX sandbox and each service instance in its own process, killed with SIGKILL. Every
 * connection must finish, with one MX member each, and visibility must count what was driven. Each
 * test prints its figures.
 */
class RealServerIT {

  private static final String[] INSTITUTIONS = {"mx_bank_oauth", "mx_credit_union_oauth"};
  private static final Duration FINISH_WITHIN = Duration.ofMinutes(3);

  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  private final HttpClient http = HttpClient.newHttpClient();
  private LocalStack stack;
  private TemporalServer temporal;
  private Flows flows;

  private void startStack(TestInfo test) throws Exception {
    stack = new LocalStack(test.getTestMethod().orElseThrow().getName());
    temporal = stack.startTemporal();
    stack.startSandbox();
    flows = new Flows(stack.sandboxUrl());
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    if (stack != null) {
      stack.close();
    }
  }

  /** (a) and (d): 500 connections waiting on their users when the service is killed. */
  @Test
  void fiveHundredWaitingConnectionsOutliveAKilledServiceAndVisibilityCountsThem(TestInfo test)
      throws Exception {
    startStack(test);
    Service first = stack.startService();
    List<String> ids = ids("crash", 500);
    long startedAt = System.nanoTime();
    Map<String, Reply> started = startAll(first.baseUrl(), ids);
    print("(a) 500 starts", startedAt);
    started.values().forEach(s -> assertThat(s.text("state")).isEqualTo("AWAITING_OAUTH"));

    // (d) Visibility sees what was driven, filtered and paginated.
    awaitCount(first.baseUrl(), "", "AWAITING_OAUTH", 500);
    assertThat(flows.listAll(first.baseUrl(), "state=AWAITING_OAUTH", 100))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(flows.listAll(first.baseUrl(), "institution_code=mx_credit_union_oauth", 1000))
        .hasSize(250);
    assertThat(flows.listAll(first.baseUrl(), "user_id=user-crash-7", 50))
        .containsExactly("crash-7");
    assertThat(
            flows
                .counts(first.baseUrl(), "?institution_code=mx_bank_oauth")
                .body()
                .path("counts")
                .path("AWAITING_OAUTH")
                .asLong())
        .isEqualTo(250);
    awaitGauge(first.baseUrl(), "AWAITING_OAUTH", 500);

    LocalStack.kill(first.process());
    long restartAt = System.nanoTime();
    Service second = stack.startService();
    print("(a) restart to healthy", restartAt);

    // Every fifth user cancels first: the restarted service must fetch a fresh window from MX.
    long finishAt = System.nanoTime();
    forEach(
        ids,
        id -> {
          Reply start = started.get(id);
          String window = awaitWindow(second.baseUrl(), id, start, 1);
          if (id.endsWith("5") || id.endsWith("0")) {
            Reply retried =
                flows.relay(
                    second.baseUrl(),
                    id,
                    start.text("browser_token"),
                    flows.completeOAuth(window, "CANCELLED"));
            window = awaitWindow(second.baseUrl(), id, retried, 2);
          }
          Reply done =
              awaitApplied(
                  second.baseUrl(),
                  id,
                  start.text("browser_token"),
                  flows.completeOAuth(window, "success"));
          assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
          return null;
        });
    print("(a) 500 finishes after the restart", finishAt);
    awaitCount(second.baseUrl(), "", "CONNECTED", 500);
    assertThat(
            flows
                .counts(second.baseUrl(), "")
                .body()
                .path("counts")
                .path("AWAITING_OAUTH")
                .asLong())
        .isZero();
    assertThat(flows.listAll(second.baseUrl(), "state=CONNECTED", 1000))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertOneMemberEach(ids);
  }

  /**
   * (b): the Temporal server itself is killed while connections wait, and restarted on its file.
   */
  @Test
  void waitingConnectionsOutliveAKilledTemporalServer(TestInfo test) throws Exception {
    startStack(test);
    Service service = stack.startService();
    List<String> ids = ids("server-crash", 100);
    Map<String, Reply> started = startAll(service.baseUrl(), ids);

    temporal.crash();
    long outageAt = System.nanoTime();
    Reply duringOutage = flows.read(service.baseUrl(), ids.get(0));
    print("(b) a read while Temporal is down answered " + duringOutage.status() + " in", outageAt);
    assertThat(duringOutage.status()).as(duringOutage.body().toString()).isEqualTo(503);

    long restartAt = System.nanoTime();
    temporal.start();
    print("(b) Temporal restart on the same database", restartAt);
    long finishAt = System.nanoTime();
    forEach(
        ids,
        id -> {
          Reply start = started.get(id);
          Reply done =
              awaitApplied(
                  service.baseUrl(),
                  id,
                  start.text("browser_token"),
                  flows.completeOAuth(awaitWindow(service.baseUrl(), id, start, 1), "success"));
          assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
          return null;
        });
    print("(b) 100 finishes after the Temporal restart", finishAt);
    awaitCount(service.baseUrl(), "", "CONNECTED", 100);
    assertOneMemberEach(ids);
  }

  /**
   * (c): two instances share the work; one is killed while 200 connections are mid-flight, and the
   * other finishes them all. A client whose instance died retries on the other, as behind a load
   * balancer.
   */
  @Test
  void theSurvivingInstanceFinishesWhatTheKilledOneHadInFlight(TestInfo test) throws Exception {
    startStack(test);
    Service doomed = stack.startService();
    Service survivor = stack.startService();
    List<String> ids = ids("pair", 200);
    Set<String> killedMidFlight = ConcurrentHashMap.newKeySet();

    long runAt = System.nanoTime();
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      String preferred = (i % 2 == 0 ? doomed : survivor).baseUrl();
      running.add(
          pool.submit(
              () -> {
                driveToConnected(id, preferred, survivor.baseUrl(), killedMidFlight);
                return null;
              }));
    }
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> running.stream().filter(Future::isDone).count() >= 40);
    LocalStack.kill(doomed.process());
    for (Future<Void> flow : running) {
      flow.get();
    }
    print("(c) 200 flows on two instances, one killed mid-run", runAt);
    System.out.printf(
        "(c) flows that lost their instance mid-flight: %d%n", killedMidFlight.size());
    assertThat(killedMidFlight).isNotEmpty();
    awaitCount(survivor.baseUrl(), "", "CONNECTED", 200);
    assertOneMemberEach(ids);
  }

  /**
   * Start, open the window, complete the OAuth, relay: each step on {@code preferred}, and on
   * {@code fallback} once {@code preferred} stops answering. A step whose answer was lost, or that
   * answered 503, is repeated: starts are idempotent, and the message is the browser's to send
   * again.
   */
  private void driveToConnected(
      String id, String preferred, String fallback, Set<String> lostInstance) throws Exception {
    String service = preferred;
    Reply start = null;
    while (start == null) {
      try {
        Reply reply = flows.start(service, id, institution(id));
        // 503 says "try again": a start that outlasted its deadline while the workflow moved
        // from the killed instance's sticky queue. Starts are idempotent.
        start = reply.status() == 503 ? null : reply;
      } catch (IOException instanceGone) {
        lostInstance.add(id);
        service = fallback;
      }
    }
    assertThat(start.status()).as(start.body().toString()).isIn(200, 201, 202);
    String message = flows.completeOAuth(awaitWindow(fallback, id, start, 1), "success");
    while (true) {
      try {
        Reply done = awaitApplied(service, id, start.text("browser_token"), message);
        assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
        return;
      } catch (IOException instanceGone) {
        lostInstance.add(id);
        service = fallback;
      }
    }
  }

  /**
   * Window {@code attempt}: the answer's, or, when the answer came (202) before MX handed it out,
   * the first read's that has it.
   */
  private String awaitWindow(String service, String id, Reply answer, int attempt) {
    if (answer.text("oauth_window_uri") != null
        && answer.body().path("attempt").asInt() == attempt) {
      return answer.text("oauth_window_uri");
    }
    return Awaitility.await()
        .atMost(FINISH_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> flows.read(service, id),
            r -> r.body().path("attempt").asInt() == attempt && r.text("oauth_window_uri") != null)
        .text("oauth_window_uri");
  }

  /**
   * Relays the message and returns the connection once the workflow acted on it. While a worker
   * takes the workflow over (a sticky queue timing out, a server coming back) the relay can answer
   * before that (202, or 503 when Temporal itself was away); a relay the workflow already took
   * answers 409. All are read until done.
   */
  private Reply awaitApplied(String service, String id, String token, String message)
      throws Exception {
    Reply relayed = flows.relay(service, id, token, message);
    if (relayed.status() == 200 && "CONNECTED".equals(relayed.text("state"))) {
      return relayed;
    }
    assertThat(relayed.status()).as(relayed.body().toString()).isIn(200, 202, 409, 503);
    return Awaitility.await()
        .atMost(FINISH_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(
            () -> {
              Reply again = flows.relay(service, id, token, message);
              return again.status() == 200 ? again : flows.read(service, id);
            },
            r -> "CONNECTED".equals(r.text("state")));
  }

  private Map<String, Reply> startAll(String service, List<String> ids) throws Exception {
    Map<String, Reply> started = new ConcurrentHashMap<>();
    forEach(
        ids,
        id -> {
          Reply reply = flows.start(service, id, institution(id));
          // 202: created, its window not out within the wait (the load of 16 clients on two cores).
          assertThat(reply.status()).as(reply.body().toString()).isIn(201, 202);
          started.put(id, reply);
          return null;
        });
    return started;
  }

  private void assertOneMemberEach(List<String> ids) throws Exception {
    forEach(
        ids,
        id -> {
          assertThat(flows.membersAtMx("user-" + id)).as(id).hasSize(1);
          return null;
        });
  }

  private void awaitCount(String service, String query, String state, long expected) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(flows.counts(service, query).body().path("counts").path(state).asLong())
                    .isEqualTo(expected));
  }

  private void awaitGauge(String service, String state, long expected) {
    String line =
        "memberflow_connections_in_flight{application=\"memberflow\",state=\""
            + state
            + "\"} "
            + (double) expected;
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(URI.create(service + "/actuator/prometheus"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains(line));
  }

  private void forEach(List<String> ids, StepFor step) throws Exception {
    List<Future<Void>> futures = new ArrayList<>();
    for (String id : ids) {
      Callable<Void> task = () -> step.run(id);
      futures.add(pool.submit(task));
    }
    for (Future<Void> future : futures) {
      future.get();
    }
  }

  @FunctionalInterface
  private interface StepFor {
    Void run(String id) throws Exception;
  }

  private static List<String> ids(String prefix, int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> prefix + "-" + i)
        .collect(Collectors.toList());
  }

  private static String institution(String id) {
    return INSTITUTIONS[Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 2];
  }

  private static void print(String what, long sinceNanos) {
    System.out.printf("%s: %.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
  }
}

package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.durability.Flows.Reply;
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
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * Many connections driven at once through the API, as many browsers and backends would, with what
 * the cross-process tests assert of them: each finishes, with one MX member each, and visibility
 * counts what was driven.
 */
final class Crowd {

  static final String[] INSTITUTIONS = {"mx_bank_oauth", "mx_credit_union_oauth"};
  static final Duration FINISH_WITHIN = Duration.ofMinutes(3);

  private final ExecutorService pool;
  private final Flows flows;
  private final HttpClient http = HttpClient.newHttpClient();

  Crowd(ExecutorService pool, Flows flows) {
    this.pool = pool;
    this.flows = flows;
  }

  /**
   * Start, open the window, complete the OAuth, relay: each step on {@code preferred}, and on
   * {@code fallback} once {@code preferred} stops answering. A step whose answer was lost, or that
   * answered 503, is repeated: starts are idempotent, and the message is the browser's to send
   * again.
   */
  void driveToConnected(String id, String preferred, String fallback, Set<String> lostInstance)
      throws Exception {
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
  String awaitWindow(String service, String id, Reply answer, int attempt) {
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
  Reply awaitApplied(String service, String id, String token, String message) throws Exception {
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

  Map<String, Reply> startAll(String service, List<String> ids) throws Exception {
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

  void assertOneMemberEach(List<String> ids) throws Exception {
    forEach(
        ids,
        id -> {
          assertThat(flows.membersAtMx("user-" + id)).as(id).hasSize(1);
          return null;
        });
  }

  void awaitCount(String service, String query, String state, long expected) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertThat(flows.counts(service, query).body().path("counts").path(state).asLong())
                    .isEqualTo(expected));
  }

  void awaitGauge(String service, String state, long expected) {
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

  void forEach(List<String> ids, StepFor step) throws Exception {
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
  interface StepFor {
    Void run(String id) throws Exception;
  }

  static List<String> ids(String prefix, int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> prefix + "-" + i)
        .collect(Collectors.toList());
  }

  static String institution(String id) {
    return INSTITUTIONS[Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 2];
  }

  /** A figure, marked with the Temporal it was measured on. */
  static void print(String what, long sinceNanos) {
    System.out.printf("%s %s: %.1f s%n", server(), what, (System.nanoTime() - sinceNanos) / 1e9);
  }

  /** The mark of the Temporal the figures are measured on: {@code [dev]} or {@code [postgres]}. */
  static String server() {
    return "[" + System.getProperty(TemporalServer.PROPERTY, "dev") + "]";
  }
}

package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.durability.Flows.Reply;
import io.memberflow.dev.stack.LocalStack;
import io.memberflow.dev.stack.LocalStack.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Durability on a real Temporal server (the Temporal CLI's dev server on SQLite), with the server,
 * the MX sandbox and each service instance in its own process, killed with SIGKILL. Every
 * connection must finish, with one MX member each, and visibility must count what was driven. Each
 * test prints its figures.
 */
class RealServerIT extends CrowdTest {

  /** (a) and (d): 500 connections waiting on their users when the service is killed. */
  @Test
  void fiveHundredWaitingConnectionsOutliveAKilledServiceAndVisibilityCountsThem()
      throws Exception {
    Service first = stack.startService();
    List<String> ids = Crowd.ids("crash", 500);
    long startedAt = System.nanoTime();
    Map<String, Reply> started = crowd.startAll(first.baseUrl(), ids);
    Crowd.print("(a) 500 starts", startedAt);
    started.values().forEach(s -> assertThat(s.text("state")).isEqualTo("AWAITING_OAUTH"));

    // (d) Visibility sees what was driven, filtered and paginated.
    crowd.awaitCount(first.baseUrl(), "", "AWAITING_OAUTH", 500);
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
    crowd.awaitGauge(first.baseUrl(), "AWAITING_OAUTH", 500);

    LocalStack.kill(first.process());
    long restartAt = System.nanoTime();
    Service second = stack.startService();
    Crowd.print("(a) restart to healthy", restartAt);

    // Every fifth user cancels first: the restarted service must fetch a fresh window from MX.
    long finishAt = System.nanoTime();
    crowd.forEach(
        ids,
        id -> {
          Reply start = started.get(id);
          String window = crowd.awaitWindow(second.baseUrl(), id, start, 1);
          if (id.endsWith("5") || id.endsWith("0")) {
            Reply retried =
                flows.relay(
                    second.baseUrl(),
                    id,
                    start.text("browser_token"),
                    flows.completeOAuth(window, "CANCELLED"));
            window = crowd.awaitWindow(second.baseUrl(), id, retried, 2);
          }
          Reply done =
              crowd.awaitApplied(
                  second.baseUrl(),
                  id,
                  start.text("browser_token"),
                  flows.completeOAuth(window, "success"));
          assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
          return null;
        });
    Crowd.print("(a) 500 finishes after the restart", finishAt);
    crowd.awaitCount(second.baseUrl(), "", "CONNECTED", 500);
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
    crowd.assertOneMemberEach(ids);
  }

  /**
   * (b): the Temporal server itself is killed while connections wait, and restarted on its file.
   */
  @Test
  void waitingConnectionsOutliveAKilledTemporalServer() throws Exception {
    Service service = stack.startService();
    List<String> ids = Crowd.ids("server-crash", 100);
    Map<String, Reply> started = crowd.startAll(service.baseUrl(), ids);

    temporal.crash();
    long outageAt = System.nanoTime();
    Reply duringOutage = flows.read(service.baseUrl(), ids.get(0));
    Crowd.print(
        "(b) a read while Temporal is down answered " + duringOutage.status() + " in", outageAt);
    assertThat(duringOutage.status()).as(duringOutage.body().toString()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - outageAt))
        .as("answered within memberflow.api.temporal-deadline")
        .isLessThanOrEqualTo(Duration.ofSeconds(15));

    long restartAt = System.nanoTime();
    temporal.start();
    Crowd.print("(b) Temporal restart on the same database", restartAt);
    long finishAt = System.nanoTime();
    crowd.forEach(
        ids,
        id -> {
          Reply start = started.get(id);
          Reply done =
              crowd.awaitApplied(
                  service.baseUrl(),
                  id,
                  start.text("browser_token"),
                  flows.completeOAuth(
                      crowd.awaitWindow(service.baseUrl(), id, start, 1), "success"));
          assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
          return null;
        });
    Crowd.print("(b) 100 finishes after the Temporal restart", finishAt);
    crowd.awaitCount(service.baseUrl(), "", "CONNECTED", 100);
    crowd.assertOneMemberEach(ids);
  }

  /**
   * (c): two instances share the work; one is killed while 200 connections are mid-flight, and the
   * other finishes them all. A client whose instance died retries on the other, as behind a load
   * balancer.
   */
  @Test
  void theSurvivingInstanceFinishesWhatTheKilledOneHadInFlight() throws Exception {
    Service doomed = stack.startService();
    Service survivor = stack.startService();
    List<String> ids = Crowd.ids("pair", 200);
    Set<String> killedMidFlight = ConcurrentHashMap.newKeySet();

    long runAt = System.nanoTime();
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      String preferred = (i % 2 == 0 ? doomed : survivor).baseUrl();
      running.add(
          pool.submit(
              () -> {
                crowd.driveToConnected(id, preferred, survivor.baseUrl(), killedMidFlight);
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
    Crowd.print("(c) 200 flows on two instances, one killed mid-run", runAt);
    System.out.printf(
        "(c) flows that lost their instance mid-flight: %d%n", killedMidFlight.size());
    assertThat(killedMidFlight).isNotEmpty();
    crowd.awaitCount(survivor.baseUrl(), "", "CONNECTED", 200);
    crowd.assertOneMemberEach(ids);
  }

  /**
   * A double-clicking user and a retrying backend, through two instances: 100 starts of one member,
   * 50 at a time. Exactly one creates the connection; none is refused or waits long.
   */
  @Test
  void aHundredStartsOfOneMemberThroughTwoInstancesAreOneConnectionAndNoneIsRefused()
      throws Exception {
    Service one = stack.startService();
    Service other = stack.startService();
    // Instances that served before: the figure is of repeated starts, not of a JVM's first request.
    flows.start(one.baseUrl(), "warm-one", "mx_bank_oauth");
    flows.start(other.baseUrl(), "warm-other", "mx_bank_oauth");
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Future<Reply>> replies = new ArrayList<>();
      List<Duration> waits = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 100; i++) {
        String service = (i % 2 == 0 ? one : other).baseUrl();
        replies.add(
            clients.submit(
                () -> {
                  long began = System.nanoTime();
                  Reply reply = flows.start(service, "twice-clicked", "mx_bank_oauth");
                  waits.add(Duration.ofNanos(System.nanoTime() - began));
                  return reply;
                }));
      }
      Map<Integer, Integer> byStatus = new TreeMap<>();
      for (Future<Reply> reply : replies) {
        byStatus.merge(reply.get().status(), 1, Integer::sum);
      }
      List<Duration> sorted = waits.stream().sorted().toList();
      Duration slowest = sorted.get(sorted.size() - 1);
      System.out.printf(
          "%s 100 starts of one member, 50 at a time, on two instances: %s, median %d ms,"
              + " slowest %d ms%n",
          Crowd.server(), byStatus, sorted.get(sorted.size() / 2).toMillis(), slowest.toMillis());
      assertThat(byStatus).containsExactly(Map.entry(200, 99), Map.entry(201, 1));
      assertThat(slowest).isLessThan(Duration.ofSeconds(2));
      crowd.assertOneMemberEach(List.of("twice-clicked"));
    } finally {
      clients.shutdownNow();
    }
  }
}

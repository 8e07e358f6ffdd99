package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.durability.Flows.Reply;
import io.memberflow.dev.stack.LocalStack.Service;
import io.memberflow.dev.stack.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults only a real deployment has, on the Temporal server as two nodes on PostgreSQL: a node
 * killed, PostgreSQL going down under load, a namespace or search attribute nobody created, and a
 * frontend that takes clients only over mutual TLS. Nothing may be lost or doubled; each test
 * prints its figures. Runs in the build's PostgreSQL execution only.
 */
class ClusterFaultsIT extends CrowdTest {

  private PostgresCluster cluster;

  @BeforeEach
  void onTheCluster() {
    cluster = (PostgresCluster) temporal;
  }

  /**
   * Two instances, each on its own node's frontend, 300 connections waiting; node 2 is killed while
   * users complete their OAuth. Node 1 takes over node 2's history shards and every connection
   * finishes through the instance whose frontend lives; the other answers 503 with Retry-After.
   */
  @Test
  void aKilledTemporalNodeLosesNoConnection() throws Exception {
    Service first = stack.startService();
    Service second =
        stack.startService(
            EmbeddedTestPorts.freePort(),
            "--spring.temporal.connection.target=" + cluster.frontend(2));
    List<String> ids = Crowd.ids("node", 300);
    Map<String, Reply> started = new ConcurrentHashMap<>();
    List<String> viaFirst = ids.stream().filter(id -> id.hashCode() % 2 == 0).toList();
    started.putAll(crowd.startAll(first.baseUrl(), viaFirst));
    started.putAll(
        crowd.startAll(
            second.baseUrl(), ids.stream().filter(id -> !viaFirst.contains(id)).toList()));

    Map<String, Long> finishedAt = new ConcurrentHashMap<>();
    Map<String, Long> relayTook = new ConcurrentHashMap<>();
    List<Future<Void>> running = new ArrayList<>();
    for (String id : ids) {
      running.add(
          pool.submit(
              () -> {
                Reply start = started.get(id);
                String window = crowd.awaitWindow(first.baseUrl(), id, start, 1);
                long relayAt = System.nanoTime();
                Reply done =
                    crowd.awaitApplied(
                        first.baseUrl(),
                        id,
                        start.text("browser_token"),
                        flows.completeOAuth(window, "success"));
                assertThat(done.text("state")).as(id).isEqualTo("CONNECTED");
                finishedAt.put(id, System.nanoTime());
                relayTook.put(id, System.nanoTime() - relayAt);
                return null;
              }));
    }
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> finishedAt.size() >= 50);
    long killedAt = System.nanoTime();
    cluster.killNode(2);
    long readAt = System.nanoTime();
    Reply viaDeadFrontend = flows.read(second.baseUrl(), ids.get(0));
    Duration readTook = Duration.ofNanos(System.nanoTime() - readAt);
    Crowd.print(
        "node kill: a read through the instance on the killed node answered "
            + viaDeadFrontend.status()
            + " (Retry-After "
            + viaDeadFrontend.retryAfter()
            + ") in",
        readAt);
    assertThat(viaDeadFrontend.status()).isEqualTo(503);
    assertThat(viaDeadFrontend.retryAfter()).isNotNull();
    assertThat(readTook)
        .as("answered within memberflow.api.temporal-deadline")
        .isLessThanOrEqualTo(Duration.ofSeconds(15));
    for (Future<Void> flow : running) {
      flow.get();
    }
    // What a user waited from the relay to CONNECTED, for every flow that finished after the kill.
    List<Long> waits =
        ids.stream()
            .filter(id -> finishedAt.get(id) > killedAt)
            .map(relayTook::get)
            .sorted()
            .toList();
    System.out.printf(
        "[postgres] node kill: %d of 300 connected before it, %d after; relay to CONNECTED after"
            + " the kill: median %.2f s, max %.1f s%n",
        300 - waits.size(),
        waits.size(),
        waits.get(waits.size() / 2) / 1e9,
        waits.get(waits.size() - 1) / 1e9);
    crowd.awaitCount(first.baseUrl(), "", "CONNECTED", 300);
    crowd.assertOneMemberEach(ids);

    long restartAt = System.nanoTime();
    cluster.startNode(2);
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> flows.read(second.baseUrl(), ids.get(0)).status() == 200);
    Crowd.print("node kill: node 2 restarted and the instance on it serving again in", restartAt);
  }

  /**
   * PostgreSQL stops as in a crash while 16 clients drive 100 connections, and comes back after 10
   * s. While it is down every answer is a 2xx or a 503 with Retry-After; afterwards every
   * connection finishes, each on one MX member.
   */
  @Test
  void postgresGoingDownUnderLoadLosesAndDoublesNothing() throws Exception {
    Service service = stack.startService();
    List<String> ids = Crowd.ids("pg", 100);
    Set<String> unused = ConcurrentHashMap.newKeySet();
    List<Future<Void>> running = new ArrayList<>();
    Map<String, Long> finishedAt = new ConcurrentHashMap<>();
    for (String id : ids) {
      running.add(
          pool.submit(
              () -> {
                crowd.driveToConnected(id, service.baseUrl(), service.baseUrl(), unused);
                finishedAt.put(id, System.nanoTime());
                return null;
              }));
    }
    Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> finishedAt.size() >= 30);
    int answersBefore = flows.replies().size();
    long crashAt = System.nanoTime();
    cluster.crashPostgres();
    Thread.sleep(20_000);
    List<Reply> all = flows.replies();
    List<Reply> whileDown = all.subList(answersBefore, all.size());
    long restartAt = System.nanoTime();
    cluster.startPostgres();
    cluster.start();
    Crowd.print("postgres crash: PostgreSQL and both nodes up again", restartAt);
    for (Future<Void> flow : running) {
      flow.get();
    }
    Crowd.print("postgres crash: every connection finished", crashAt);
    List<Long> afterRestart =
        finishedAt.values().stream()
            .filter(t -> t > restartAt)
            .map(t -> t - restartAt)
            .sorted()
            .toList();
    System.out.printf(
        "[postgres] postgres crash: %d answers while it was down: %s; after it was back the first"
            + " connection finished in %.1f s, the last (of %d) in %.1f s%n",
        whileDown.size(),
        whileDown.stream().collect(Collectors.groupingBy(Reply::status, Collectors.counting())),
        afterRestart.get(0) / 1e9,
        afterRestart.size(),
        afterRestart.get(afterRestart.size() - 1) / 1e9);
    assertThat(flows.replies())
        .as("no answer is a server error other than 503 with Retry-After")
        .allSatisfy(
            reply -> {
              assertThat(reply.status()).as(reply.body().toString()).isNotIn(500, 501, 502, 504);
              if (reply.status() == 503) {
                assertThat(reply.retryAfter()).as(reply.body().toString()).isNotNull();
              }
            });
    assertThat(whileDown).anyMatch(reply -> reply.status() == 503);
    crowd.awaitCount(service.baseUrl(), "", "CONNECTED", 100);
    crowd.assertOneMemberEach(ids);
  }

  /** An operator's missing step stops the start with what is missing and how to add it. */
  @Test
  void aServiceRefusesToStartWithoutItsNamespaceOrSearchAttributes() throws Exception {
    String missing = cluster.namespace() + "-none";
    String noNamespace = stack.startServiceThatRefuses("--spring.temporal.namespace=" + missing);
    assertThat(noNamespace)
        .contains("Temporal namespace '" + missing + "' does not exist at " + cluster.target())
        .contains("temporal operator namespace create --namespace " + missing);

    String bare = cluster.namespace() + "-bare";
    cluster.createNamespaceWithoutAttributes(bare);
    String noAttributes = stack.startServiceThatRefuses("--spring.temporal.namespace=" + bare);
    assertThat(noAttributes)
        .contains("lacks the search attributes connection workflows set")
        .contains("MemberflowState (Keyword)", "MemberflowAttempt (Int)")
        .contains(
            "temporal operator search-attribute create --namespace "
                + bare
                + " --name MemberflowAttempt --type Int");
  }

  /**
   * A frontend that takes clients only over mutual TLS, with a CA and certificates made here: the
   * service with its client certificate connects a member through it; a client without one is
   * turned away.
   */
  @Test
  void theServiceConnectsOverMutualTls() throws Exception {
    Path tls = Files.createDirectories(Path.of("target", "real-server", "postgres", "tls"));
    TestCertificates.make(tls);
    String frontend = cluster.startTlsFrontend(3, tls);
    try {
      assertThat(TestCertificates.healthWithout(frontend)).isNotEqualTo(0);
      Service service =
          stack.startService(
              EmbeddedTestPorts.freePort(),
              "--spring.temporal.connection.target=" + frontend,
              "--spring.temporal.connection.mtls.cert-chain-file="
                  + tls.resolve("client.pem").toAbsolutePath(),
              "--spring.temporal.connection.mtls.key-file="
                  + tls.resolve("client.key").toAbsolutePath(),
              "--spring.temporal.connection.mtls.server-name=localhost",
              "-Djavax.net.ssl.trustStore=" + tls.resolve("truststore.p12").toAbsolutePath(),
              "-Djavax.net.ssl.trustStorePassword=" + TestCertificates.TRUSTSTORE_PASSWORD,
              "-Djavax.net.ssl.trustStoreType=PKCS12");
      Reply start = flows.start(service.baseUrl(), "tls-1", "mx_bank_oauth");
      assertThat(start.status()).as(start.body().toString()).isEqualTo(201);
      Reply done =
          crowd.awaitApplied(
              service.baseUrl(),
              "tls-1",
              start.text("browser_token"),
              flows.completeOAuth(start.text("oauth_window_uri"), "success"));
      assertThat(done.text("state")).isEqualTo("CONNECTED");
    } finally {
      cluster.stopNode(3);
    }
  }
}

package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.durability.Flows.Reply;
import io.memberflow.dev.stack.LocalStack;
import io.memberflow.dev.stack.LocalStack.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * CONNECTED means MX says so, on the whole stack as operators run it (production jar, Temporal dev
 * server, the sandbox as its own process sending MX's webhooks with Basic credentials): a relayed
 * success for an OAuth that never happened connects nothing on any MX API, and a browser message
 * that was lost is made up for by MX's webhook in seconds. Prints the figures.
 */
class MxTruthIT {

  private static final String[] APIS = {"platform", "atrium", "nexus"};

  private LocalStack stack;
  private Flows flows;
  private Service service;

  @BeforeEach
  void startStack(TestInfo test) throws Exception {
    stack = new LocalStack(test.getTestMethod().orElseThrow().getName());
    stack.startTemporal();
    int port = EmbeddedTestPorts.freePort();
    // MX's webhooks come late and sometimes twice, as MX's do.
    stack.startSandbox(
        "--mx-webhook-url=http://127.0.0.1:" + port + "/v1/mx/webhooks",
        "--mx-webhook-username=mx",
        "--mx-webhook-password=truth-webhook-password",
        "--mx-webhook-duplicates=0.5",
        "--mx-webhook-delay-ms=300");
    service =
        stack.startService(
            port,
            "--memberflow.mx.webhooks.username=mx",
            "--memberflow.mx.webhooks.password=truth-webhook-password",
            "--memberflow.policy.confirm-window=5s");
    flows = new Flows(stack.sandboxUrl());
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aRelayedSuccessForAnOAuthThatNeverHappenedConnectsNothing() throws Exception {
    List<Reply> started = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      started.add(flows.start(service.baseUrl(), "forged-" + i, "mx_bank_oauth", APIS[i % 3]));
    }
    int confirming = 0;
    for (Reply connection : started) {
      Reply answer =
          flows.relay(
              service.baseUrl(),
              connection.text("connection_id"),
              connection.text("browser_token"),
              "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\""
                  + connection.text("member_guid")
                  + "\"}}");
      assertThat(answer.status()).isEqualTo(200);
      confirming += "CONFIRMING".equals(answer.text("state")) ? 1 : 0;
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (Reply connection : started) {
                Reply now = flows.read(service.baseUrl(), connection.text("connection_id"));
                assertThat(now.text("state")).isEqualTo("AWAITING_OAUTH");
                assertThat(now.body().path("attempt").asInt()).isEqualTo(2);
              }
            });
    long connected = 0;
    for (Reply connection : started) {
      connected +=
          flows
                  .read(service.baseUrl(), connection.text("connection_id"))
                  .body()
                  .path("transitions")
                  .findValuesAsText("to")
                  .contains("CONNECTED")
              ? 1
              : 0;
    }
    System.out.printf(
        "forged successes: %d relayed (10 per MX API), %d answered CONFIRMING, %d CONNECTED, all back to AWAITING_OAUTH with a fresh window after the 5 s confirm window%n",
        started.size(), confirming, connected);
    assertThat(confirming).isEqualTo(started.size());
    assertThat(connected).isZero();
  }

  @Test
  void aLostBrowserMessageIsMadeUpForByMxsWebhookInSeconds() throws Exception {
    List<Long> millis = Collections.synchronizedList(new ArrayList<>());
    List<Reply> started = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      started.add(flows.start(service.baseUrl(), "lost-" + i, "mx_bank_oauth", APIS[i % 3]));
    }
    for (Reply connection : started) {
      // The user signs in; the page's message never reaches memberflow.
      flows.completeOAuth(connection.text("oauth_window_uri"), "success");
      long signedIn = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () ->
                  assertThat(
                          flows
                              .read(service.baseUrl(), connection.text("connection_id"))
                              .text("state"))
                      .isEqualTo("CONNECTED"));
      millis.add((System.nanoTime() - signedIn) / 1_000_000);
    }

    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf(
        "lost browser messages: %d, all CONNECTED through MX's webhook; time to outcome median %d ms, max %d ms (OAuth timeout: 10 min)%n",
        sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    assertThat(sorted.get(sorted.size() - 1)).isLessThan(10_000);
  }
}

package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.dev.stack.LocalStack;
import io.memberflow.dev.stack.LocalStack.Service;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What Temporal keeps of a connection is unreadable without memberflow's keys, and a key rotation
 * reaches connections that are running: on the production jar and the Temporal dev server, a
 * connection starts under key k1, the service restarts with k2 active (k1 still configured), and
 * the connection finishes. Its history, read straight from Temporal, holds neither the user id, the
 * member guid, the window URI nor the relayed message; its payloads name both keys; the codec
 * endpoint decodes them for an operator and for no one else.
 */
class EncryptedHistoriesIT {

  private static final String USER_ID = "user-5f1e-not-for-temporal";

  @Test
  void historiesHoldNoPlaintextAndARotationReachesRunningConnections(TestInfo test)
      throws Exception {
    try (LocalStack stack = new LocalStack(test.getTestMethod().orElseThrow().getName())) {
      stack.startTemporal();
      stack.startSandbox();
      rotateMidConnection(stack, new Flows(stack.sandboxUrl()));
    }
  }

  private void rotateMidConnection(LocalStack stack, Flows flows) throws Exception {
    Service before = stack.startService();
    Flows.Reply started =
        flows.start(before.baseUrl(), "enc-1", "mx_bank_oauth", "platform", USER_ID);
    assertThat(started.status()).isEqualTo(201);
    String window = started.text("oauth_window_uri");
    String memberGuid = started.text("member_guid");
    LocalStack.kill(before.process());

    Service after = stack.startService(EmbeddedTestPorts.freePort(), LocalStack.ACTIVE_KEY + "k2");
    String posted = flows.completeOAuth(window, "success");
    // 202 when the new instance takes the workflow over from the killed one after the wait.
    assertThat(
            flows.relay(after.baseUrl(), "enc-1", started.text("browser_token"), posted).status())
        .isIn(200, 202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(flows.read(after.baseUrl(), "enc-1").text("aggregation"))
                    .isEqualTo("DATA_READY"));

    String history = rawHistory(stack, "enc-1");
    assertThat(readable(history))
        .contains("binary/encrypted")
        .doesNotContain(USER_ID, memberGuid, window, URI.create(window).getPath(), "oauthComplete");
    assertThat(keyIds(history)).containsExactlyInAnyOrder("k1", "k2");

    // Visibility finds the connection by its user all the same, and shows the user id it has.
    Flows.Reply listed = flows.list(after.baseUrl(), "user_id=" + USER_ID);
    assertThat(listed.body().path("connections").get(0).path("user_id").asText())
        .isEqualTo(USER_ID);

    String payload = firstPayload(history);
    assertThat(decode(stack, after, payload, "Bearer " + LocalStack.OPERATOR_KEY))
        .satisfies(decoded -> assertThat(decoded.statusCode()).isEqualTo(200))
        .satisfies(
            decoded ->
                assertThat(new String(decodedData(decoded.body()), StandardCharsets.UTF_8))
                    .contains(USER_ID));
    assertThat(decode(stack, after, payload, null).statusCode()).isEqualTo(401);
    assertThat(decode(stack, after, payload, "Bearer " + LocalStack.BACKEND_KEY).statusCode())
        .isEqualTo(401);

    // The Temporal CLI, as an operator runs it, shows the history decoded through memberflow.
    assertThat(readable(cliShow(stack, after, "Bearer " + LocalStack.OPERATOR_KEY)))
        .contains(USER_ID, memberGuid);
    assertThat(readable(cliShow(stack, after, "Bearer " + LocalStack.BACKEND_KEY)))
        .doesNotContain(USER_ID);
  }

  private static String cliShow(LocalStack stack, Service service, String authorization)
      throws Exception {
    Process show =
        new ProcessBuilder(
                LocalStack.requireTemporalCli().toString(),
                "workflow",
                "show",
                "--address",
                stack.temporal().target(),
                "--namespace",
                stack.temporal().namespace(),
                "--workflow-id",
                ConnectionWorkflow.workflowId("enc-1"),
                "--output",
                "json",
                "--codec-endpoint",
                service.baseUrl() + "/codec",
                "--codec-auth",
                authorization)
            .redirectErrorStream(true)
            .start();
    String output = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    show.waitFor();
    return output;
  }

  /** The history as Temporal serves it to anyone with access to the namespace: no codec. */
  private static String rawHistory(LocalStack stack, String connectionId) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal().target()).build());
    try {
      return WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(stack.temporal().namespace()).build())
          .fetchHistory(ConnectionWorkflow.workflowId(connectionId))
          .toJson(false);
    } finally {
      service.shutdownNow();
    }
  }

  private static List<String> keyIds(String history) {
    Matcher ids = Pattern.compile("\"encryption-key-id\"\\s*:\\s*\"([^\"]+)\"").matcher(history);
    return ids.results()
        .map(m -> new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8))
        .distinct()
        .toList();
  }

  /** The first encrypted payload of the history: the workflow's input. */
  private static String firstPayload(String history) {
    Matcher payload =
        Pattern.compile(
                "\\{\\s*\"metadata\"\\s*:\\s*\\{[^{}]*\"encryption-key-id\"[^{}]*}\\s*,\\s*\"data\"\\s*:\\s*\"[^\"]+\"\\s*}")
            .matcher(history);
    assertThat(payload.find()).isTrue();
    return payload.group();
  }

  private static HttpResponse<String> decode(
      LocalStack stack, Service service, String payload, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/codec/decode"))
            .header("Content-Type", "application/json")
            .header("X-Namespace", stack.temporal().namespace())
            .POST(HttpRequest.BodyPublishers.ofString("{\"payloads\":[" + payload + "]}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] decodedData(String body) {
    Matcher data = Pattern.compile("\"data\":\\s*\"([^\"]+)\"").matcher(body);
    assertThat(data.find()).as(body).isTrue();
    return Base64.getDecoder().decode(data.group(1));
  }

  /**
   * The history and every base64 value in it decoded (payload data, metadata, search attributes and
   * memo are all base64 in Temporal's JSON): what anyone with the history can read.
   */
  private static String readable(String history) {
    StringBuilder all = new StringBuilder(history);
    Matcher values = Pattern.compile("\"([A-Za-z0-9+/]{8,}={0,2})\"").matcher(history);
    while (values.find()) {
      try {
        all.append('\n')
            .append(
                new String(Base64.getDecoder().decode(values.group(1)), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException notBase64) {
        // a plain string that only looks like base64
      }
    }
    return all.toString();
  }
}

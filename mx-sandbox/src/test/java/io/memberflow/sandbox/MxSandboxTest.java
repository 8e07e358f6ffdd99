package io.memberflow.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox over real HTTP, as the MX client and a browser would use it. */
class MxSandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("inbox-secret-0123456789".getBytes());

  private MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults().withWebhookSecret(SECRET));
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, SandboxConfig.DEFAULT_API_KEY);
  }

  private HttpResponse<String> call(String method, String path, String body, String apiKey)
      throws Exception {
    String credentials = SandboxConfig.DEFAULT_CLIENT_ID + ":" + apiKey;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
            .header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes()))
            .header("Accept", "application/json")
            .header("Accept-Version", "v20250224")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> browse(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private String createMember(String userId, String memberId, String institution) throws Exception {
    call("POST", "/users", "{\"user\":{\"id\":\"" + userId + "\"}}");
    HttpResponse<String> created =
        call(
            "POST",
            "/users/" + userId + "/members",
            "{\"member\":{\"id\":\""
                + memberId
                + "\",\"institution_code\":\""
                + institution
                + "\",\"is_oauth\":true,\"credentials\":[]},\"referral_source\":\"BROWSER\"}");
    assertThat(created.statusCode()).isEqualTo(202);
    return json(created).path("member").path("guid").asText();
  }

  private String windowUri(String userId, String memberGuid) throws Exception {
    HttpResponse<String> response =
        call(
            "GET",
            "/users/"
                + userId
                + "/members/"
                + memberGuid
                + "/oauth_window_uri?referral_source=BROWSER",
            null);
    assertThat(response.statusCode()).isEqualTo(200);
    return json(response).path("member").path("oauth_window_uri").asText();
  }

  @Test
  void duplicateIdsAnswer409AndTheOriginalStaysReadable() throws Exception {
    assertThat(call("POST", "/users", "{\"user\":{\"id\":\"u1\"}}").statusCode()).isEqualTo(200);
    HttpResponse<String> again = call("POST", "/users", "{\"user\":{\"id\":\"u1\"}}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).path("error").path("message").asText()).contains("already exists");
    assertThat(json(call("GET", "/users/u1", null)).path("user").path("id").asText())
        .isEqualTo("u1");

    String guid = createMember("u1", "m1", "mx_bank_oauth");
    HttpResponse<String> duplicate =
        call(
            "POST",
            "/users/u1/members",
            "{\"member\":{\"id\":\"m1\",\"institution_code\":\"mx_bank_oauth\",\"is_oauth\":true,\"credentials\":[]}}");
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(json(call("GET", "/users/u1/members/m1", null)).path("member").path("guid").asText())
        .isEqualTo(guid);
  }

  @Test
  void institutionWithoutOAuthIsRefused() throws Exception {
    call("POST", "/users", "{\"user\":{\"id\":\"u2\"}}");
    HttpResponse<String> response =
        call(
            "POST",
            "/users/u2/members",
            "{\"member\":{\"id\":\"m2\",\"institution_code\":\"mxbank\",\"is_oauth\":true,\"credentials\":[]}}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").path("message").asText())
        .isEqualTo("Member cannot use OAuth");
  }

  @Test
  void wrongCredentialsOrVersionAreRefused() throws Exception {
    assertThat(call("GET", "/users/nobody", null, "wrong-key").statusCode()).isEqualTo(401);
    String credentials = SandboxConfig.DEFAULT_CLIENT_ID + ":" + SandboxConfig.DEFAULT_API_KEY;
    HttpResponse<String> noVersion =
        http.send(
            HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/users/nobody"))
                .header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(json(noVersion).path("error").path("message").asText()).contains("Accept-Version");
  }

  @Test
  void everyWindowIsFreshAndWorksOnce() throws Exception {
    String guid = createMember("u3", "m3", "mx_bank_oauth");
    String first = windowUri("u3", guid);
    String second = windowUri("u3", guid);
    assertThat(first).isNotEqualTo(second).startsWith(sandbox.baseUrl());

    HttpResponse<String> page = browse(first);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("MX Bank (OAuth)")
        .contains("id=\"authorize\"")
        .contains("id=\"impeded\"");

    HttpResponse<String> reused = browse(first);
    assertThat(reused.statusCode()).isEqualTo(410);
    assertThat(reused.body()).contains("already been used");
  }

  @Test
  void completePagePostsMxsMessageToTheFrontendOrigin() throws Exception {
    String guid = createMember("u4", "m4", "mx_bank_oauth");
    String uri = windowUri("u4", guid);
    String token = uri.substring(uri.lastIndexOf('/') + 1);
    browse(uri);

    HttpResponse<String> done =
        browse(sandbox.baseUrl() + "/oauth/complete/" + token + "?outcome=IMPEDED");

    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body())
        .contains(
            "{\"mx\":true,\"type\":\"oauthComplete/error\",\"metadata\":{\"member_guid\":\""
                + guid
                + "\",\"error_reason\":\"IMPEDED\"}}")
        .contains("window.opener.postMessage(message, \"http://localhost:8080\")");
    assertThat(
            browse(sandbox.baseUrl() + "/oauth/complete/" + token + "?outcome=success")
                .statusCode())
        .isEqualTo(410);
    assertThat(
            json(call("GET", "/users/u4/members/" + guid + "/status", null))
                .path("member")
                .path("connection_status")
                .asText())
        .isEqualTo("IMPEDED");
  }

  @Test
  void successMarksTheMemberConnected() throws Exception {
    String guid = createMember("u5", "m5", "mx_bank_oauth");
    String uri = windowUri("u5", guid);
    browse(uri);
    browse(
        sandbox.baseUrl()
            + "/oauth/complete/"
            + uri.substring(uri.lastIndexOf('/') + 1)
            + "?outcome=success");

    JsonNode status =
        json(call("GET", "/users/u5/members/" + guid + "/status", null)).path("member");
    assertThat(status.path("connection_status").asText()).isEqualTo("CONNECTED");
    assertThat(status.path("is_authenticated").asBoolean()).isTrue();
  }

  @Test
  void aStatusChangedAtTheInstitutionIsWhatMxReportsAndSendsWebhooksAsMxDoes() throws Exception {
    // Nothing listens there: what matters here is what MX sends, which the sandbox records.
    sandbox.sendMxWebhooksTo(URI.create("http://127.0.0.1:9/mx"), "mx", "pw");
    String guid = createMember("u-status", "m-status", "mx_bank_oauth");
    String status = "/users/u-status/members/" + guid + "/status";

    assertThat(changeStatus(guid, "DENIED").statusCode()).isEqualTo(204);
    assertThat(connectionStatus(status)).isEqualTo("DENIED");
    assertThat(changeStatus(guid, "DEGRADED").statusCode()).isEqualTo(204);
    assertThat(connectionStatus(status)).isEqualTo("DEGRADED");

    // CONNECTION_STATUS only where the user must act: for DENIED, not DEGRADED
    awaitSentMxWebhooks("MEMBER", "CONNECTION_STATUS", "MEMBER");
    assertThat(sandbox.sentMxWebhooks())
        .filteredOn(sent -> sent.type().equals("CONNECTION_STATUS"))
        .singleElement()
        .satisfies(
            sent -> {
              JsonNode body = JSON.readTree(sent.body());
              assertThat(body.path("connection_status").asText()).isEqualTo("DENIED");
              assertThat(body.path("connection_status_id").asInt()).isEqualTo(2);
              assertThat(body.path("member_guid").asText()).isEqualTo(guid);
            });
  }

  @Test
  void aDeletedMemberIsGoneWithItsWindows() throws Exception {
    String guid = createMember("u-delete", "m-delete", "mx_bank_oauth");
    String uri = windowUri("u-delete", guid);
    String member = "/users/u-delete/members/" + guid;

    assertThat(call("DELETE", member, null).statusCode()).isEqualTo(204);

    assertThat(call("GET", member, null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", member, null).statusCode()).isEqualTo(404);
    assertThat(browse(uri).statusCode())
        .as("its window no longer opens")
        .isGreaterThanOrEqualTo(400);
    assertThat(createMember("u-delete", "m-delete", "mx_bank_oauth"))
        .as("the client's id can be used again")
        .isNotEqualTo(guid);
  }

  @Test
  void aStatusChangeNamesAnMxStatusAndAKnownMember() throws Exception {
    String guid = createMember("u-bad-status", "m-bad-status", "mx_bank_oauth");

    HttpResponse<String> unknownStatus = changeStatus(guid, "REVOKED");
    assertThat(unknownStatus.statusCode()).isEqualTo(400);
    assertThat(json(unknownStatus).path("error").path("message").asText())
        .contains("connection_status must be one of MX's statuses", "DENIED", "IMPAIRED");
    assertThat(changeStatus("MBR-nobody", "DENIED").statusCode()).isEqualTo(404);
    assertThat(
            json(call("GET", "/users/u-bad-status/members/" + guid + "/status", null))
                .path("member")
                .path("connection_status")
                .asText())
        .isEqualTo("PENDING");
  }

  /** The member's {@code connection_status} as the Platform API's status read shows it. */
  private String connectionStatus(String statusPath) throws Exception {
    return json(call("GET", statusPath, null)).path("member").path("connection_status").asText();
  }

  /** The sandbox sent exactly these MX webhooks, in any order, within a few seconds. */
  private void awaitSentMxWebhooks(String... types) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(sandbox.sentMxWebhooks())
                    .extracting(MxWebhookSender.Sent::type)
                    .containsExactlyInAnyOrder(types));
  }

  private HttpResponse<String> changeStatus(String memberGuid, String status) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    sandbox.baseUrl() + "/_sandbox/members/" + memberGuid + "/connection_status"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"connection_status\":\"" + status + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void mxLagsBehindTheBrowserThenAggregatesAndSendsItsWebhooks() throws Exception {
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/mx",
        exchange -> {
          received.add(
              exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      sandbox.sendMxWebhooksTo(
          java.net.URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/mx"),
          "mx",
          "pw");
      sandbox.setMemberTimings(
          new MemberTimings(Duration.ofMillis(800), Duration.ofMillis(600), 0));
      sandbox.setMxWebhookFaults(new MxWebhookFaults(0, 1.0, Duration.ZERO));
      String guid = createMember("u-lag", "m-lag", "mx_bank_oauth");
      String uri = windowUri("u-lag", guid);
      browse(uri);
      browse(
          sandbox.baseUrl()
              + "/oauth/complete/"
              + uri.substring(uri.lastIndexOf('/') + 1)
              + "?outcome=success");

      String path = "/users/u-lag/members/" + guid + "/status";
      assertThat(connectionStatus(path)).isEqualTo("PENDING");
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                JsonNode status = json(call("GET", path, null)).path("member");
                assertThat(status.path("connection_status").asText()).isEqualTo("CONNECTED");
                assertThat(status.path("is_being_aggregated").asBoolean()).isFalse();
                assertThat(status.path("successfully_aggregated_at").isTextual()).isTrue();
              });
      // every one twice (the duplicate fault): connected, aggregated (member), aggregation
      awaitSentMxWebhooks("MEMBER", "MEMBER", "MEMBER", "MEMBER", "AGGREGATION", "AGGREGATION");
      String basic = "Basic " + Base64.getEncoder().encodeToString("mx:pw".getBytes());
      assertThat(received).hasSize(6).allMatch(r -> r.startsWith(basic));
      assertThat(received)
          .anyMatch(r -> r.contains("\"type\":\"AGGREGATION\"") && r.contains(guid));
      assertThat(received)
          .anyMatch(
              r ->
                  r.contains("\"connection_status\":\"CONNECTED\"")
                      && r.contains("\"guid\":\"" + guid + "\""));
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void withAStateFileMembersAndWindowsOutliveARestart(@TempDir Path dir) throws Exception {
    SandboxConfig kept = SandboxConfig.defaults().withStateFile(dir.resolve("sandbox.json"));
    sandbox.close();
    sandbox = MxSandbox.start(kept);
    String guid = createMember("u-kept", "m-kept", "mx_bank_oauth");
    String window = windowUri("u-kept", guid).substring(sandbox.baseUrl().length());
    sandbox.close();

    sandbox = MxSandbox.start(kept);
    assertThat(call("POST", "/users", "{\"user\":{\"id\":\"u-kept\"}}").statusCode())
        .isEqualTo(409);
    assertThat(browse(sandbox.baseUrl() + window).statusCode()).isEqualTo(200);
    browse(
        sandbox.baseUrl()
            + "/oauth/complete/"
            + window.substring(window.lastIndexOf('/') + 1)
            + "?outcome=success");
    sandbox.close();

    sandbox = MxSandbox.start(kept);
    assertThat(browse(sandbox.baseUrl() + window).statusCode()).isEqualTo(410);
    JsonNode status =
        json(call("GET", "/users/u-kept/members/" + guid + "/status", null)).path("member");
    assertThat(status.path("connection_status").asText()).isEqualTo("CONNECTED");
  }

  @Test
  void appWindowsRedirectToTheClientWithTheOutcome() throws Exception {
    String guid = createMember("u6", "m6", "mx_bank_oauth");
    HttpResponse<String> response =
        call(
            "GET",
            "/users/u6/members/"
                + guid
                + "/oauth_window_uri?referral_source=APP&client_redirect_url=http%3A%2F%2Flocalhost%3A8080%2Fv1%2Fapp-redirect",
            null);
    String uri = json(response).path("member").path("oauth_window_uri").asText();
    browse(uri);

    HttpResponse<String> done =
        browse(
            sandbox.baseUrl()
                + "/oauth/complete/"
                + uri.substring(uri.lastIndexOf('/') + 1)
                + "?outcome=DENIED");

    assertThat(done.statusCode()).isEqualTo(302);
    assertThat(done.headers().firstValue("Location"))
        .hasValue(
            "http://localhost:8080/v1/app-redirect?member_guid="
                + guid
                + "&status=error&error_reason=DENIED");
  }

  @Test
  void faultsHitTheApiWithTheConfiguredStatusesAndLatency() throws Exception {
    sandbox.setFaults(new Faults(1.0, List.of(503, 429), Duration.ofMillis(200)));
    long started = System.nanoTime();
    assertThat(call("GET", "/users/x", null).statusCode()).isEqualTo(503);
    assertThat(call("GET", "/users/x", null).statusCode()).isEqualTo(429);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    sandbox.setFaults(Faults.NONE);
    assertThat(call("GET", "/users/x", null).statusCode()).isEqualTo(404);
  }

  @Test
  void inboxChecksStandardWebhookSignatures() throws Exception {
    String payload = "{\"type\":\"connection.connected\"}";
    long now = System.currentTimeMillis() / 1000;
    String signature = new Webhook(SECRET).sign("msg_1", now, payload);
    HttpRequest signed =
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/webhooks"))
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", Long.toString(now))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
            .build();
    assertThat(http.send(signed, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);

    HttpRequest forged =
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/_sandbox/webhooks"))
            .header("webhook-id", "msg_2")
            .header("webhook-timestamp", Long.toString(now))
            .header("webhook-signature", "v1,Zm9yZ2Vk")
            .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
            .build();
    assertThat(http.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

    assertThat(sandbox.receivedWebhooks())
        .extracting(ReceivedWebhook::webhookId, ReceivedWebhook::signatureValid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("msg_1", true),
            org.assertj.core.groups.Tuple.tuple("msg_2", false));
  }
}

package io.memberflow.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Atrium and Nexus flavours over HTTP: their own authentication, shapes and sessions. */
class OlderApisTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final MxSandbox sandbox = MxSandbox.start(SandboxConfig.defaults());
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private HttpResponse<String> atrium(
      String method, String path, String body, String apiKey, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sandbox.atriumBaseUrl() + path))
            .header("MX-API-Key", apiKey)
            .header("MX-Client-ID", SandboxConfig.DEFAULT_CLIENT_ID)
            .header("Accept", accept)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> atrium(String method, String path, String body) throws Exception {
    return atrium(method, path, body, SandboxConfig.DEFAULT_API_KEY, AtriumApi.MEDIA_TYPE);
  }

  private HttpResponse<String> nexus(
      String method, String path, String body, String header, String value) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sandbox.nexusBaseUrl() + path))
            .header(header, value)
            .header("Accept", NexusApi.MEDIA_TYPE)
            .header("Content-Type", NexusApi.MEDIA_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void atriumChecksItsHeadersAndUsesIdentifier() throws Exception {
    assertThat(atrium("GET", "/users", null, "wrong", AtriumApi.MEDIA_TYPE).statusCode())
        .isEqualTo(401);
    assertThat(
            atrium("GET", "/users", null, SandboxConfig.DEFAULT_API_KEY, "application/json")
                .statusCode())
        .isEqualTo(406);

    HttpResponse<String> created =
        atrium("POST", "/users", "{\"user\":{\"identifier\":\"a-user\"}}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(json(created).path("user").path("identifier").asText()).isEqualTo("a-user");
    assertThat(atrium("POST", "/users", "{\"user\":{\"identifier\":\"a-user\"}}").statusCode())
        .isEqualTo(409);
  }

  @Test
  void atriumDeletesAMember() throws Exception {
    atrium("POST", "/users", "{\"user\":{\"identifier\":\"d-user\"}}");
    String guid =
        json(atrium(
                "POST",
                "/users/d-user/members",
                "{\"member\":{\"identifier\":\"d-member\",\"institution_code\":\"mx_bank_oauth\","
                    + "\"is_oauth\":true,\"credentials\":[]}}"))
            .path("member")
            .path("guid")
            .asText();

    assertThat(atrium("DELETE", "/users/d-user/members/" + guid, null).statusCode()).isEqualTo(204);
    assertThat(atrium("GET", "/users/d-user/members/" + guid, null).statusCode()).isEqualTo(404);
  }

  @Test
  void atriumListsPageByPage() throws Exception {
    for (int i = 0; i < 3; i++) {
      atrium("POST", "/users", "{\"user\":{\"identifier\":\"u" + i + "\"}}");
    }
    JsonNode second = json(atrium("GET", "/users?page=2&records_per_page=2", null));

    assertThat(second.path("users")).hasSize(1);
    assertThat(second.path("pagination").path("total_pages").asInt()).isEqualTo(2);
    assertThat(second.path("pagination").path("total_entries").asInt()).isEqualTo(3);
  }

  @Test
  void nexusSessionsExpireThirtyMinutesAfterTheirLastUse() throws Exception {
    assertThat(nexus("POST", "/sessions", "{}", "MD-API-TOKEN", "wrong").statusCode())
        .isEqualTo(401);
    String token =
        json(nexus(
                "POST", "/sessions", "{}", "MD-API-TOKEN", SandboxConfig.DEFAULT_NEXUS_API_TOKEN))
            .path("session")
            .path("token")
            .asText();

    assertThat(
            nexus("POST", "/users", "{\"user\":{\"id\":\"n-user\"}}", "MD-SESSION-TOKEN", token)
                .statusCode())
        .isEqualTo(200);
    sandbox.clock().advance(Duration.ofMinutes(29));
    assertThat(nexus("GET", "/users/n-user", null, "MD-SESSION-TOKEN", token).statusCode())
        .as("each call refreshes the session")
        .isEqualTo(200);
    sandbox.clock().advance(Duration.ofMinutes(29));
    assertThat(nexus("GET", "/users/n-user", null, "MD-SESSION-TOKEN", token).statusCode())
        .isEqualTo(200);

    sandbox.clock().advance(Duration.ofMinutes(31));
    HttpResponse<String> expired = nexus("GET", "/users/n-user", null, "MD-SESSION-TOKEN", token);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(json(expired).path("error").path("code").asInt()).isEqualTo(4011);

    HttpResponse<String> unknown =
        nexus("GET", "/users/n-user", null, "MD-SESSION-TOKEN", "made-up");
    assertThat(json(unknown).path("error").path("code").asInt()).isEqualTo(4010);
  }

  @Test
  void nexusWindowsAreAddressedByMemberGuid() throws Exception {
    String token =
        json(nexus(
                "POST", "/sessions", "{}", "MD-API-TOKEN", SandboxConfig.DEFAULT_NEXUS_API_TOKEN))
            .path("session")
            .path("token")
            .asText();
    String userGuid =
        json(nexus("POST", "/users", "{\"user\":{\"id\":\"n2\"}}", "MD-SESSION-TOKEN", token))
            .path("user")
            .path("guid")
            .asText();
    String memberGuid =
        json(nexus(
                "POST",
                "/users/" + userGuid + "/members",
                "{\"member\":{\"id\":\"m\",\"institution_code\":\"mx_bank_oauth\",\"is_oauth\":true,\"credentials\":[]}}",
                "MD-SESSION-TOKEN",
                token))
            .path("member")
            .path("guid")
            .asText();

    JsonNode window =
        json(
            nexus(
                "GET",
                "/members/" + memberGuid + "/oauth_window_uri?referral_source=BROWSER",
                null,
                "MD-SESSION-TOKEN",
                token));

    assertThat(window.path("member").path("oauth_window_uri").asText())
        .startsWith(sandbox.baseUrl() + "/oauth/predirect_to/" + memberGuid);
  }

  @Test
  void theClockCanBeMovedFromAnotherProcess() throws Exception {
    HttpResponse<String> moved =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(sandbox.baseUrl() + "/_sandbox/clock?advance_seconds=3600"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(moved.statusCode()).isEqualTo(204);
    assertThat(sandbox.clock().now()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(59)));
  }
}

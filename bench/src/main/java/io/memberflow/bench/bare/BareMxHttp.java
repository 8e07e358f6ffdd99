package io.memberflow.bench.bare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * {@link BareMx} on the Platform API with the JDK's HTTP client: what a minimal worker would write.
 */
public final class BareMxHttp implements BareMx {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String authorization;

  public BareMxHttp(String baseUrl, String clientId, String apiKey) {
    this.baseUrl = baseUrl;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String createUser(String userId) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("user").put("id", userId);
    return send("POST", "/users", body).path("user").path("guid").asText();
  }

  @Override
  public String createMember(String userGuid, String memberId, String institutionCode) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode member = body.putObject("member");
    member.put("id", memberId).put("institution_code", institutionCode).put("is_oauth", true);
    member.putArray("credentials");
    body.put("referral_source", "BROWSER");
    return send("POST", "/users/" + userGuid + "/members", body)
        .path("member")
        .path("guid")
        .asText();
  }

  @Override
  public String oauthWindowUri(String userGuid, String memberGuid) {
    String path =
        "/users/"
            + userGuid
            + "/members/"
            + memberGuid
            + "/oauth_window_uri?referral_source=BROWSER&skip_aggregation=true";
    return send("GET", path, null).path("member").path("oauth_window_uri").asText();
  }

  @Override
  public String connectionStatus(String userGuid, String memberGuid) {
    return send("GET", "/users/" + userGuid + "/members/" + memberGuid + "/status", null)
        .path("member")
        .path("connection_status")
        .asText();
  }

  private JsonNode send(String method, String path, JsonNode body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(10))
              .header("Authorization", authorization)
              .header("Accept", "application/vnd.mx.api.v1+json")
              .header("Accept-Version", "v20250224")
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

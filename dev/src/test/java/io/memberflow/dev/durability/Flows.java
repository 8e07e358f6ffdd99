package io.memberflow.dev.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.dev.stack.LocalStack;
import io.memberflow.sandbox.SandboxBrowser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What a backend and a browser do with memberflow, over plain HTTP: the backend starts connections
 * and lists them; the browser completes the OAuth at the sandbox and relays the message its page
 * posts.
 */
final class Flows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String sandboxUrl;
  private final SandboxBrowser browser;

  Flows(String sandboxUrl) {
    this.sandboxUrl = sandboxUrl;
    this.browser = new SandboxBrowser(sandboxUrl);
  }

  /**
   * @param retryAfter the {@code Retry-After} header; null when there was none
   */
  record Reply(int status, JsonNode body, String retryAfter) {
    String text(String field) {
      return body.path(field).asText(null);
    }
  }

  /** Every answer the service gave these flows, for tests that judge them all. */
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();

  List<Reply> replies() {
    return List.copyOf(replies);
  }

  Reply start(String service, String memberId, String institution)
      throws IOException, InterruptedException {
    return start(service, memberId, institution, "platform");
  }

  Reply start(String service, String memberId, String institution, String mxApi)
      throws IOException, InterruptedException {
    return start(service, memberId, institution, mxApi, "user-" + memberId);
  }

  Reply start(String service, String memberId, String institution, String mxApi, String userId)
      throws IOException, InterruptedException {
    return call(
        service,
        "POST",
        "/v1/connections",
        bearer(LocalStack.BACKEND_KEY),
        "{\"user_id\":\""
            + userId
            + "\",\"member_id\":\""
            + memberId
            + "\",\"institution_code\":\""
            + institution
            + "\",\"mx_api\":\""
            + mxApi
            + "\"}");
  }

  Reply list(String service, String query) throws IOException, InterruptedException {
    return call(service, "GET", "/v1/connections?" + query, bearer(LocalStack.BACKEND_KEY), null);
  }

  Reply read(String service, String connectionId) throws IOException, InterruptedException {
    return call(
        service, "GET", "/v1/connections/" + connectionId, bearer(LocalStack.BACKEND_KEY), null);
  }

  Reply relay(String service, String connectionId, String browserToken, String message)
      throws IOException, InterruptedException {
    return call(
        service,
        "POST",
        "/v1/connections/" + connectionId + "/oauth-messages",
        bearer(browserToken),
        message);
  }

  Reply counts(String service, String query) throws IOException, InterruptedException {
    return call(
        service, "GET", "/v1/connection-counts" + query, bearer(LocalStack.BACKEND_KEY), null);
  }

  /** Every connection id the listing gives for this query, page by page. */
  Set<String> listAll(String service, String query, int pageSize)
      throws IOException, InterruptedException {
    Set<String> ids = new HashSet<>();
    String token = null;
    do {
      String path =
          "/v1/connections?page_size="
              + pageSize
              + "&"
              + query
              + (token == null ? "" : "&page_token=" + token);
      Reply page = call(service, "GET", path, bearer(LocalStack.BACKEND_KEY), null);
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      assertThat(page.body().path("connections").size()).isLessThanOrEqualTo(pageSize);
      page.body()
          .path("connections")
          .forEach(c -> assertThat(ids.add(c.path("connection_id").asText())).isTrue());
      token = page.text("next_page_token");
    } while (token != null);
    return ids;
  }

  /** The browser's part of the OAuth: see {@link SandboxBrowser}. */
  String completeOAuth(String oauthWindowUri, String outcome)
      throws IOException, InterruptedException {
    return browser.completeOAuth(oauthWindowUri, outcome);
  }

  /** MX's members for the user, as MX's own API lists them. */
  List<String> membersAtMx(String userId) throws IOException, InterruptedException {
    String credentials =
        Base64.getEncoder().encodeToString("sandbox-client:sandbox-api-key".getBytes());
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sandboxUrl + "/users/" + userId + "/members"))
                .header("Authorization", "Basic " + credentials)
                .header("Accept", "application/vnd.mx.api.v1+json")
                .header("Accept-Version", "v20250224")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> guids = new ArrayList<>();
    JSON.readTree(response.body()).path("members").forEach(m -> guids.add(m.path("guid").asText()));
    return guids;
  }

  private Reply call(String service, String method, String path, String authorization, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(service + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Reply reply =
        new Reply(
            response.statusCode(),
            response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()),
            response.headers().firstValue("Retry-After").orElse(null));
    replies.add(reply);
    return reply;
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }
}

package io.memberflow.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a backend and a browser do with memberflow, over plain HTTP: the backend starts
 * connections and lists them; the browser opens the one-time window at the sandbox, picks an
 * outcome on the institution page, takes the message the OAuth-complete page posts and relays it.
 */
final class Flows {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern POSTED_MESSAGE = Pattern.compile("var message = (\\{.*?\\});");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String sandboxUrl;

  Flows(String sandboxUrl) {
    this.sandboxUrl = sandboxUrl;
  }

  record Reply(int status, JsonNode body) {
    String text(String field) {
      return body.path(field).asText(null);
    }
  }

  Reply start(String service, String memberId, String institution) throws IOException, InterruptedException {
    return call(service, "POST", "/v1/connections", bearer(LocalStack.BACKEND_KEY),
        "{\"user_id\":\"user-" + memberId + "\",\"member_id\":\"" + memberId
            + "\",\"institution_code\":\"" + institution + "\"}");
  }

  Reply read(String service, String connectionId) throws IOException, InterruptedException {
    return call(service, "GET", "/v1/connections/" + connectionId, bearer(LocalStack.BACKEND_KEY), null);
  }

  Reply relay(String service, String connectionId, String browserToken, String message)
      throws IOException, InterruptedException {
    return call(service, "POST", "/v1/connections/" + connectionId + "/oauth-messages", bearer(browserToken), message);
  }

  Reply counts(String service, String query) throws IOException, InterruptedException {
    return call(service, "GET", "/v1/connection-counts" + query, bearer(LocalStack.BACKEND_KEY), null);
  }

  /** Every connection id the listing gives for this query, page by page. */
  Set<String> listAll(String service, String query, int pageSize) throws IOException, InterruptedException {
    Set<String> ids = new HashSet<>();
    String token = null;
    do {
      String path = "/v1/connections?page_size=" + pageSize + "&" + query
          + (token == null ? "" : "&page_token=" + token);
      Reply page = call(service, "GET", path, bearer(LocalStack.BACKEND_KEY), null);
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      assertThat(page.body().path("connections").size()).isLessThanOrEqualTo(pageSize);
      page.body().path("connections").forEach(c -> assertThat(ids.add(c.path("connection_id").asText())).isTrue());
      token = page.text("next_page_token");
    } while (token != null);
    return ids;
  }

  /**
   * The browser's part: opens the window, chooses {@code outcome} (success or an error_reason) on
   * the institution page, and returns the message the OAuth-complete page posts to its opener.
   */
  String completeOAuth(String oauthWindowUri, String outcome) throws IOException, InterruptedException {
    HttpResponse<String> institution = get(oauthWindowUri);
    assertThat(institution.statusCode()).as(oauthWindowUri).isEqualTo(200);
    Matcher link = Pattern.compile("href=\"([^\"]*outcome=" + outcome + ")\"").matcher(institution.body());
    assertThat(link.find()).as("the institution page offers " + outcome).isTrue();
    HttpResponse<String> done = get(sandboxUrl + link.group(1));
    Matcher message = POSTED_MESSAGE.matcher(done.body());
    assertThat(message.find()).as("the OAuth-complete page posts a message").isTrue();
    return message.group(1);
  }

  /** MX's members for the user, as MX's own API lists them. */
  List<String> membersAtMx(String userId) throws IOException, InterruptedException {
    String credentials = Base64.getEncoder().encodeToString("sandbox-client:sandbox-api-key".getBytes());
    HttpResponse<String> response = http.send(
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

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Reply call(String service, String method, String path, String authorization, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(service + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }
}

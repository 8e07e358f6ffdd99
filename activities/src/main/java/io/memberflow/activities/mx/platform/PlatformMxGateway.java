package io.memberflow.activities.mx.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.MxHttp.Reply;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The MX Platform API, version v20250224. */
public final class PlatformMxGateway implements MxGateway {

  static final String VERSION = "v20250224";

  private final PlatformSettings settings;
  private final MxHttp http;
  private final String authorization;

  public PlatformMxGateway(PlatformSettings settings, MxHttp http) {
    this.settings = settings;
    this.http = http;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (settings.clientId() + ":" + settings.apiKey())
                        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public MxUser ensureUser(String userId) {
    ObjectNode body = MxHttp.json().createObjectNode();
    body.putObject("user").put("id", userId);
    Reply reply = http.send("create_user", post("/users", body));
    if (reply.isConflict()) {
      reply = http.send("read_user", get("/users/" + encode(userId)));
    }
    JsonNode user = reply.body().path("user");
    return new MxUser(required(user, "guid"), user.path("id").asText(userId));
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member) {
    OAuthWindowOptions options = member.options();
    ObjectNode body = MxHttp.json().createObjectNode();
    ObjectNode fields = body.putObject("member");
    fields.put("id", member.memberId());
    fields.put("institution_code", member.institutionCode());
    fields.put("is_oauth", true);
    fields.putArray("credentials");
    body.put("referral_source", options.referralSourceOrDefault().name());
    putIfPresent(body, "client_redirect_url", options.clientRedirectUrl());
    putIfPresent(body, "ui_message_webview_url_scheme", options.uiMessageWebviewUrlScheme());
    if (options.enableApp2app() != null) {
      body.put("enable_app2app", options.enableApp2app());
    }
    String members = "/users/" + encode(member.userGuid()) + "/members";
    Reply reply = http.send("create_member", post(members, body));
    if (reply.isConflict()) {
      reply = http.send("read_member", get(members + "/" + encode(member.memberId())));
    }
    JsonNode created = reply.body().path("member");
    return new MxMember(
        required(created, "guid"),
        created.path("id").asText(member.memberId()),
        member.userGuid(),
        created.path("institution_code").asText(member.institutionCode()));
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request) {
    OAuthWindowOptions options = request.options();
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("referral_source", options.referralSourceOrDefault().name());
    query.put("skip_aggregation", options.skipAggregation());
    query.put("client_redirect_url", options.clientRedirectUrl());
    query.put("ui_message_webview_url_scheme", options.uiMessageWebviewUrlScheme());
    query.put("enable_app2app", options.enableApp2app());
    String path =
        "/users/" + encode(request.userGuid()) + "/members/" + encode(request.memberGuid())
            + "/oauth_window_uri" + queryString(query);
    Reply reply = http.send("request_oauth_window_uri", get(path));
    return required(reply.body().path("member"), "oauth_window_uri");
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid) {
    String path = "/users/" + encode(userGuid) + "/members/" + encode(memberGuid) + "/status";
    JsonNode member = http.send("read_member_status", get(path)).body().path("member");
    JsonNode status = member.path("connection_status");
    return new MemberStatus(memberGuid, status.isTextual() ? status.asText() : null);
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .header("Accept-Version", VERSION);
  }

  /** A 2xx answer without a field the spec promises is MX's fault, not the caller's. */
  private static String required(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "MX answered without " + field, MxGateway.REJECTED);
    }
    return value.asText();
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String queryString(Map<String, Object> query) {
    StringJoiner joined = new StringJoiner("&", "?", "");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            joined.add(name + "=" + encode(value.toString()));
          }
        });
    return joined.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

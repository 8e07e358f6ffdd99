package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import io.memberflow.sandbox.SandboxState.Member;
import io.memberflow.sandbox.SandboxState.User;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * MX Platform API v20250224: users, OAuth members, {@code oauth_window_uri} and member status,
 * with the shapes of the official OpenAPI document (MX's own error body where it defines none).
 */
final class PlatformApi {

  static final String VERSION = "v20250224";
  private static final String SEGMENT = "([^/]+)";

  private final SandboxConfig config;
  private final SandboxState state;
  private final OAuthPages pages;
  private final String expectedAuthorization;

  PlatformApi(SandboxConfig config, SandboxState state, OAuthPages pages) {
    this.config = config;
    this.state = state;
    this.pages = pages;
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.clientId() + ":" + config.apiKey()).getBytes(StandardCharsets.UTF_8));
  }

  void register(SandboxHttp http) {
    http.on("POST", "/users", guarded(this::createUser));
    http.on("GET", "/users/" + SEGMENT, guarded(this::readUser));
    http.on("POST", "/users/" + SEGMENT + "/members", guarded(this::createMember));
    http.on("GET", "/users/" + SEGMENT + "/members/" + SEGMENT, guarded(this::readMember));
    http.on(
        "GET",
        "/users/" + SEGMENT + "/members/" + SEGMENT + "/oauth_window_uri",
        guarded(this::oauthWindowUri));
    http.on(
        "GET",
        "/users/" + SEGMENT + "/members/" + SEGMENT + "/status",
        guarded(this::memberStatus));
  }

  private Function<Request, Response> guarded(Function<Request, Response> handler) {
    return request -> {
      if (!expectedAuthorization.equals(request.header("Authorization"))) {
        return Response.error(401, "Unauthorized: invalid client_id or api_key");
      }
      if (!VERSION.equals(request.header("Accept-Version"))) {
        return Response.error(400, "Accept-Version header must be " + VERSION);
      }
      return handler.apply(request);
    };
  }

  private Response createUser(Request request) {
    JsonNode user = request.json() == null ? null : request.json().get("user");
    if (user == null || !user.isObject() || user.isEmpty()) {
      return Response.error(400, "A user object is required");
    }
    String id = text(user, "id");
    return state
        .createUser(id)
        .map(created -> Response.json(200, Map.of("user", user(created))))
        .orElseGet(() -> Response.error(409, "A user with this id already exists"));
  }

  private Response readUser(Request request) {
    return withUser(request, user -> Response.json(200, Map.of("user", user(user))));
  }

  private Response createMember(Request request) {
    return withUser(
        request,
        user -> {
          JsonNode body = request.json();
          JsonNode member = body == null ? null : body.get("member");
          if (member == null || !member.isObject()) {
            return Response.error(400, "A member object is required");
          }
          String institutionCode = text(member, "institution_code");
          if (institutionCode == null || !member.path("credentials").isArray()) {
            return Response.error(400, "institution_code and credentials are required");
          }
          Optional<Institution> institution =
              config.institutions().stream()
                  .filter(i -> i.code().equals(institutionCode))
                  .findFirst();
          if (institution.isEmpty()) {
            return Response.error(404, "Institution " + institutionCode + " not found");
          }
          if (member.path("is_oauth").asBoolean(false) && !institution.get().supportsOAuth()) {
            return Response.error(400, "Member cannot use OAuth");
          }
          return state
              .createMember(user, text(member, "id"), institution.get())
              .map(
                  created -> {
                    String uri =
                        pages.windowUri(
                            state.openWindow(
                                created,
                                text(body, "referral_source"),
                                text(body, "client_redirect_url"),
                                text(body, "ui_message_webview_url_scheme")));
                    return Response.json(202, Map.of("member", member(created, uri)));
                  })
              .orElseGet(() -> Response.error(409, "A member with this id already exists"));
        });
  }

  private Response readMember(Request request) {
    return withMember(request, member -> Response.json(200, Map.of("member", member(member, null))));
  }

  private Response oauthWindowUri(Request request) {
    return withMember(
        request,
        member -> {
          Map<String, String> query = request.query();
          String referralSource = query.getOrDefault("referral_source", "BROWSER");
          if (!List.of("BROWSER", "APP").contains(referralSource)) {
            return Response.error(400, "referral_source must be BROWSER or APP");
          }
          String uri =
              pages.windowUri(
                  state.openWindow(
                      member,
                      referralSource,
                      query.get("client_redirect_url"),
                      query.get("ui_message_webview_url_scheme")));
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("guid", member.guid);
          body.put("oauth_window_uri", uri);
          return Response.json(200, Map.of("member", body));
        });
  }

  private Response memberStatus(Request request) {
    return withMember(
        request,
        member -> {
          boolean connected = "CONNECTED".equals(member.connectionStatus);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("aggregated_at", member.successfullyAggregatedAt);
          body.put("challenges", List.of());
          body.put("connection_status", member.connectionStatus);
          body.put("guid", member.guid);
          body.put("has_processed_account_numbers", connected);
          body.put("has_processed_accounts", connected);
          body.put("has_processed_transactions", connected);
          body.put("is_authenticated", connected);
          body.put("is_being_aggregated", false);
          body.put("successfully_aggregated_at", member.successfullyAggregatedAt);
          return Response.json(200, Map.of("member", body));
        });
  }

  private Response withUser(Request request, Function<User, Response> then) {
    return state
        .user(request.pathParams().get(0))
        .map(then)
        .orElseGet(() -> Response.error(404, "We were unable to find the record you requested."));
  }

  private Response withMember(Request request, Function<Member, Response> then) {
    return withUser(
        request,
        user ->
            state
                .member(user, request.pathParams().get(1))
                .map(then)
                .orElseGet(
                    () ->
                        Response.error(404, "We were unable to find the record you requested.")));
  }

  private static Map<String, Object> user(User user) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("guid", user.guid());
    body.put("id", user.id());
    body.put("is_disabled", false);
    body.put("metadata", null);
    return body;
  }

  private static Map<String, Object> member(Member member, String oauthWindowUri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("aggregated_at", member.successfullyAggregatedAt);
    body.put("background_aggregation_is_disabled", false);
    body.put("connection_status", member.connectionStatus);
    body.put("connection_status_message", null);
    body.put("guid", member.guid);
    body.put("id", member.id);
    body.put("institution_code", member.institution.code());
    body.put("institution_guid", "INST-" + member.institution.code());
    body.put("is_being_aggregated", false);
    body.put("is_managed_by_user", true);
    body.put("is_manual", false);
    body.put("is_oauth", true);
    body.put("metadata", null);
    body.put("most_recent_job_detail_code", null);
    body.put("most_recent_job_detail_text", null);
    body.put("most_recent_job_guid", null);
    body.put("name", member.institution.name());
    body.put("needs_updated_credentials", false);
    body.put("oauth_window_uri", oauthWindowUri);
    body.put("successfully_aggregated_at", member.successfullyAggregatedAt);
    body.put("use_cases", List.of("PFM"));
    body.put("user_guid", member.userGuid);
    body.put("user_id", member.userId);
    return body;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}

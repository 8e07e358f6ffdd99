package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.memberflow.sandbox.SandboxHttp.Response;
import io.memberflow.sandbox.SandboxState.Member;
import io.memberflow.sandbox.SandboxState.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What MX does, whichever API generation asks: users, OAuth members, one-time windows and member
 * status over one shared state. The flavours differ in authentication, paths and the name of the
 * client's own id field ({@code id} or Atrium's {@code identifier}).
 */
final class MxBehaviour {

  static final String NOT_FOUND = "We were unable to find the record you requested.";

  private final SandboxConfig config;
  private final SandboxState state;
  private final OAuthPages pages;
  private final MemberEvents events;
  private final String idField;

  MxBehaviour(
      SandboxConfig config,
      SandboxState state,
      OAuthPages pages,
      MemberEvents events,
      String idField) {
    this.config = config;
    this.state = state;
    this.pages = pages;
    this.events = events;
    this.idField = idField;
  }

  Response createUser(JsonNode body) {
    JsonNode user = body == null ? null : body.get("user");
    if (user == null || !user.isObject() || user.isEmpty()) {
      return Response.error(400, "A user object is required");
    }
    return state
        .createUser(text(user, idField))
        .map(created -> Response.json(200, Map.of("user", user(created))))
        .orElseGet(() -> Response.error(409, "A user with this " + idField + " already exists"));
  }

  Response readUser(String identifier) {
    return withUser(identifier, user -> Response.json(200, Map.of("user", user(user))));
  }

  Response createMember(User user, JsonNode body) {
    JsonNode member = body == null ? null : body.get("member");
    if (member == null || !member.isObject()) {
      return Response.error(400, "A member object is required");
    }
    String institutionCode = text(member, "institution_code");
    if (institutionCode == null || !member.path("credentials").isArray()) {
      return Response.error(400, "institution_code and credentials are required");
    }
    Optional<Institution> institution =
        config.institutions().stream().filter(i -> i.code().equals(institutionCode)).findFirst();
    if (institution.isEmpty()) {
      return Response.error(404, "Institution " + institutionCode + " not found");
    }
    if (member.path("is_oauth").asBoolean(false) && !institution.get().supportsOAuth()) {
      return Response.error(400, "Member cannot use OAuth");
    }
    return state
        .createMember(
            user,
            text(member, idField),
            institution.get(),
            member.path("is_oauth").asBoolean(false))
        .map(
            created -> {
              String uri =
                  pages.windowUri(
                      state.openWindow(
                          created,
                          text(body, "referral_source"),
                          text(body, "client_redirect_url"),
                          text(body, "ui_message_webview_url_scheme"),
                          body.path("skip_aggregation").asBoolean(false)));
              return Response.json(202, Map.of("member", member(created, uri)));
            })
        .orElseGet(() -> Response.error(409, "A member with this " + idField + " already exists"));
  }

  /** MX deletes a user for good, and its members with it: {@code 204}. */
  Response deleteUser(User user) {
    state.deleteUser(user);
    return Response.noContent();
  }

  /** MX deletes a member for good: {@code 204}, and it is unknown from then on. */
  Response deleteMember(Member member) {
    state.deleteMember(member);
    return Response.noContent();
  }

  /** MX's answer to a requested aggregation: 202 with the member, 409 while MX's own one runs. */
  Response aggregate(Member member) {
    if (events.requestAggregation(member) == MemberEvents.Asked.CONFLICT) {
      return Response.error(409, "Member is already being aggregated in the background");
    }
    return Response.json(202, Map.of("member", member(member, null)));
  }

  Response readMember(Member member) {
    return Response.json(200, Map.of("member", member(member, null)));
  }

  /** A page of a listing, in Atrium's shape: the items and a {@code pagination} object. */
  Response page(
      String collection, List<?> all, Map<String, String> query, Function<Object, Object> view) {
    int perPage = Math.max(1, Math.min(1000, intOr(query.get("records_per_page"), 25)));
    int page = Math.max(1, intOr(query.get("page"), 1));
    int from = Math.min(all.size(), (page - 1) * perPage);
    List<Object> items =
        all.subList(from, Math.min(all.size(), from + perPage)).stream().map(view).toList();
    Map<String, Object> pagination = new LinkedHashMap<>();
    pagination.put("current_page", page);
    pagination.put("per_page", perPage);
    pagination.put("total_entries", all.size());
    pagination.put("total_pages", Math.max(1, (all.size() + perPage - 1) / perPage));
    return Response.json(200, Map.of(collection, items, "pagination", pagination));
  }

  Response windowUri(Member member, Map<String, String> query) {
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
                query.get("ui_message_webview_url_scheme"),
                "true".equals(query.get("skip_aggregation"))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("guid", member.guid);
    body.put("oauth_window_uri", uri);
    return Response.json(200, Map.of("member", body));
  }

  Response status(Member member) {
    boolean connected = "CONNECTED".equals(member.connectionStatus);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("aggregated_at", member.aggregatedAt);
    body.put("challenges", List.of());
    body.put("connection_status", member.connectionStatus);
    body.put("guid", member.guid);
    body.put("has_processed_account_numbers", connected);
    body.put("has_processed_accounts", connected);
    body.put("has_processed_transactions", connected);
    body.put("is_authenticated", connected);
    body.put("is_being_aggregated", member.isBeingAggregated);
    body.put("successfully_aggregated_at", member.successfullyAggregatedAt);
    return Response.json(200, Map.of("member", body));
  }

  /** The user's members, a page at a time. */
  Response listMembers(String userIdentifier, Map<String, String> query) {
    return withUser(
        userIdentifier,
        user ->
            page(
                "members", state.members(user), query, m -> member((SandboxState.Member) m, null)));
  }

  Response withUser(String identifier, Function<User, Response> then) {
    return state.user(identifier).map(then).orElseGet(() -> Response.error(404, NOT_FOUND));
  }

  Response withMember(
      String userIdentifier, String memberIdentifier, Function<Member, Response> then) {
    return withUser(
        userIdentifier,
        user ->
            state
                .member(user, memberIdentifier)
                .map(then)
                .orElseGet(() -> Response.error(404, NOT_FOUND)));
  }

  Response withMemberGuid(String memberGuid, Function<Member, Response> then) {
    return state.memberByGuid(memberGuid).map(then).orElseGet(() -> Response.error(404, NOT_FOUND));
  }

  Map<String, Object> user(User user) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("guid", user.guid());
    body.put(idField, user.id());
    body.put("is_disabled", false);
    body.put("metadata", null);
    return body;
  }

  Map<String, Object> member(Member member, String oauthWindowUri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("aggregated_at", member.aggregatedAt);
    body.put("background_aggregation_is_disabled", false);
    body.put("connection_status", member.connectionStatus);
    body.put("connection_status_message", null);
    body.put("guid", member.guid);
    body.put(idField, member.id);
    body.put("institution_code", member.institution.code());
    body.put("institution_guid", "INST-" + member.institution.code());
    body.put("is_being_aggregated", member.isBeingAggregated);
    body.put("is_managed_by_user", true);
    body.put("is_manual", false);
    body.put("is_oauth", member.oauth);
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
    body.put("user_" + idField, member.userId);
    return body;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static int intOr(String value, int fallback) {
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}

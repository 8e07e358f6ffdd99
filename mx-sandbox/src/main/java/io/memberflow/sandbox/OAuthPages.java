package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import io.memberflow.sandbox.SandboxState.Member;
import io.memberflow.sandbox.SandboxState.Window;
import io.memberflow.sandbox.SandboxState.Window.Stage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The pages behind an {@code oauth_window_uri}: the institution's login page, then MX's
 * OAuth-complete page, which posts MX's message to {@code window.opener} (BROWSER) or redirects to
 * the client's {@code client_redirect_url} (APP).
 */
final class OAuthPages {

  static final String SUCCESS = "success";

  /** With a success: MX ends the OAuth on a new member guid, as it may. */
  static final String ON_NEW_MEMBER = "on_new_member";

  static final List<String> ERROR_REASONS =
      List.of("CANCELLED", "DENIED", "IMPEDED", "PROVIDER_ERROR", "SERVER_ERROR", "SESSION_ERROR");

  private final SandboxConfig config;
  private final SandboxState state;
  private final Supplier<String> baseUrl;
  private final MemberEvents events;

  OAuthPages(
      SandboxConfig config, SandboxState state, MemberEvents events, Supplier<String> baseUrl) {
    this.events = events;
    this.config = config;
    this.state = state;
    this.baseUrl = baseUrl;
  }

  void register(SandboxHttp http) {
    http.on("GET", "/oauth/predirect_to/([^/]+)/([^/]+)", this::institutionPage);
    http.on("GET", "/oauth/complete/([^/]+)", this::complete);
  }

  String windowUri(Window window) {
    return baseUrl.get() + "/oauth/predirect_to/" + window.memberGuid() + "/" + window.token();
  }

  private Response institutionPage(Request request) {
    Optional<Window> window = state.advance(request.pathParams().get(1), Stage.OPEN, Stage.VISITED);
    if (window.isEmpty()) {
      return Response.html(
          410,
          page(
              "Link already used",
              "<p id=\"refused\">This OAuth link has already been used or is unknown. Ask for a new one.</p>"));
    }
    Member member = state.memberByGuid(window.get().memberGuid()).orElseThrow();
    StringBuilder choices = new StringBuilder();
    String complete = "/oauth/complete/" + window.get().token() + "?outcome=";
    choices.append(link(complete + SUCCESS, "authorize", "Authorize"));
    choices.append(
        link(
            complete + SUCCESS + "&" + ON_NEW_MEMBER + "=true",
            "authorize-new-member",
            "Authorize (MX ends it on a new member)"));
    for (String reason : ERROR_REASONS) {
      choices.append(link(complete + reason, reason.toLowerCase(), "End with " + reason));
    }
    return Response.html(
        200,
        page(
            member.institution.name(),
            "<h1>"
                + member.institution.name()
                + "</h1>"
                + "<p>Sandbox login for member "
                + member.guid
                + ".</p><ul>"
                + choices
                + "</ul>"));
  }

  private Response complete(Request request) {
    String outcome = request.query().getOrDefault("outcome", "");
    if (!SUCCESS.equals(outcome) && !ERROR_REASONS.contains(outcome)) {
      return Response.html(
          400, page("Unknown outcome", "<p>Unknown outcome " + escape(outcome) + "</p>"));
    }
    Optional<Window> found =
        state.advance(request.pathParams().get(0), Stage.VISITED, Stage.COMPLETED);
    if (found.isEmpty()) {
      return Response.html(
          410,
          page(
              "Already completed",
              "<p id=\"refused\">This OAuth window has already completed.</p>"));
    }
    Window window = found.get();
    Member member = state.memberByGuid(window.memberGuid()).orElseThrow();
    if (SUCCESS.equals(outcome) && "true".equals(request.query().get(ON_NEW_MEMBER))) {
      member = state.replaceMember(member);
    }
    applyToMember(member, outcome, window.skipAggregation());
    if ("APP".equals(window.referralSource()) && window.clientRedirectUrl() != null) {
      return Response.redirect(appRedirect(window, member, outcome));
    }
    return Response.html(200, page("Done", postMessageScript(message(member, outcome))));
  }

  private void applyToMember(Member member, String outcome, boolean skipAggregation) {
    switch (outcome) {
      case SUCCESS -> events.oauthEnded(member, "CONNECTED", skipAggregation);
      case "DENIED", "IMPEDED" -> events.oauthEnded(member, outcome, skipAggregation);
      default -> {
        // CANCELLED, SESSION_ERROR and provider errors leave the member as it was.
      }
    }
  }

  /** MX's postMessage payload, exactly. */
  static Map<String, Object> message(Member member, String outcome) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("member_guid", member.guid);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("mx", true);
    if (SUCCESS.equals(outcome)) {
      message.put("type", "oauthComplete/success");
    } else {
      message.put("type", "oauthComplete/error");
      metadata.put("error_reason", outcome);
    }
    message.put("metadata", metadata);
    return message;
  }

  private String postMessageScript(Map<String, Object> message) {
    String json =
        new String(SandboxHttp.Response.json(200, message).body(), StandardCharsets.UTF_8);
    String origin =
        new String(
            SandboxHttp.Response.json(200, config.frontendOrigin()).body(), StandardCharsets.UTF_8);
    return "<p id=\"done\">You can close this window.</p>"
        + "<script>"
        + "var message = "
        + json.replace("<", "\\u003c")
        + ";"
        + "if (window.opener) { window.opener.postMessage(message, "
        + origin.replace("<", "\\u003c")
        + "); }"
        + "</script>";
  }

  private static String appRedirect(Window window, Member member, String outcome) {
    StringBuilder url = new StringBuilder(window.clientRedirectUrl());
    url.append(window.clientRedirectUrl().contains("?") ? '&' : '?');
    url.append("member_guid=").append(encode(member.guid));
    if (SUCCESS.equals(outcome)) {
      url.append("&status=success");
    } else {
      url.append("&status=error&error_reason=").append(encode(outcome));
    }
    return url.toString();
  }

  private static String link(String href, String id, String text) {
    return "<li><a id=\"" + id + "\" href=\"" + href + "\">" + text + "</a></li>";
  }

  private static String page(String title, String body) {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title></head><body>"
        + body
        + "</body></html>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

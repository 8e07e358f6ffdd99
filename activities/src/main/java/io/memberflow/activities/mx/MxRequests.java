package io.memberflow.activities.mx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.temporal.failure.ApplicationFailure;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** What the three flavours' requests and answers have in common. */
public final class MxRequests {

  private MxRequests() {}

  /** A 2xx answer without a field MX promises is MX's fault, not the caller's. */
  public static String required(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "MX answered without " + field, MxGateway.REJECTED);
    }
    return value.asText();
  }

  /**
   * The member MX created or, after a 409, the one that already had the client's id; an existing
   * member at another institution is not this connection's and is refused.
   *
   * @param idField the flavour's name for the client's id: {@code id} or {@code identifier}
   */
  public static MxMember member(JsonNode member, String idField, NewOAuthMember requested) {
    String institution = member.path("institution_code").asText(requested.institutionCode());
    if (!institution.equals(requested.institutionCode())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "member " + requested.memberId() + " already exists at MX for institution "
              + institution + ", not " + requested.institutionCode(),
          MxGateway.REJECTED);
    }
    return new MxMember(
        required(member, "guid"),
        member.path(idField).asText(requested.memberId()),
        requested.userGuid(),
        institution);
  }

  public static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /**
   * The OAuth window parameters all flavours take, as a query string; a null value is left out so
   * that MX applies its default.
   */
  public static String windowQuery(OAuthWindowOptions options, boolean withApp2app) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("referral_source", options.referralSourceOrDefault().name());
    query.put("skip_aggregation", options.skipAggregation());
    query.put("client_redirect_url", options.clientRedirectUrl());
    query.put("ui_message_webview_url_scheme", options.uiMessageWebviewUrlScheme());
    if (withApp2app) {
      query.put("enable_app2app", options.enableApp2app());
    }
    StringJoiner joined = new StringJoiner("&", "?", "");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            joined.add(name + "=" + encode(value.toString()));
          }
        });
    return joined.toString();
  }

  /**
   * The body that creates an OAuth member: no credentials (the user signs in at the institution),
   * the client's id under the flavour's name for it, and the window's referral settings.
   */
  public static ObjectNode newOAuthMemberBody(NewOAuthMember member, String idField) {
    ObjectNode body = MxHttp.json().createObjectNode();
    ObjectNode fields = body.putObject("member");
    fields.put(idField, member.memberId());
    fields.put("institution_code", member.institutionCode());
    fields.put("is_oauth", true);
    fields.putArray("credentials");
    putWindowFields(body, member.options());
    return body;
  }

  private static void putWindowFields(ObjectNode body, OAuthWindowOptions options) {
    body.put("referral_source", options.referralSourceOrDefault().name());
    if (options.clientRedirectUrl() != null) {
      body.put("client_redirect_url", options.clientRedirectUrl());
    }
    if (options.uiMessageWebviewUrlScheme() != null) {
      body.put("ui_message_webview_url_scheme", options.uiMessageWebviewUrlScheme());
    }
  }

  /** A request that carries a JSON body. */
  public static HttpRequest.Builder postJson(
      HttpRequest.Builder request, String contentType, JsonNode body) {
    return request
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

package io.memberflow.activities.mx.atrium;

import io.memberflow.activities.mx.KeyedEndpoint;
import static io.memberflow.activities.mx.MxRequests.encode;
import static io.memberflow.activities.mx.MxRequests.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.MxHttp.Reply;
import io.memberflow.activities.mx.MxRequests;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * MX's older Atrium API: {@code MX-API-Key} and {@code MX-Client-ID} headers, its own media type,
 * and the client's id in a field named {@code identifier}. Atrium addresses objects by guid only,
 * so after a 409 the existing object is found by listing.
 */
public final class AtriumMxClient implements MxClient {

  static final String MEDIA_TYPE = "application/vnd.mx.atrium.v1+json";
  private static final int PAGE_SIZE = 100;

  private final KeyedEndpoint settings;
  private final MxHttp http;

  public AtriumMxClient(KeyedEndpoint settings, MxHttp http) {
    this.settings = settings;
    this.http = http;
  }

  @Override
  public MxUser ensureUser(String userId) {
    ObjectNode body = MxHttp.json().createObjectNode();
    body.putObject("user").put("identifier", userId);
    Reply reply = http.create("create_user", post("/users", body));
    JsonNode user =
        reply.isConflict()
            ? findByIdentifier("list_users", "/users", "users", userId)
            : reply.body().path("user");
    return new MxUser(required(user, "guid"), user.path("identifier").asText(userId));
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member) {
    ObjectNode body = MxRequests.newOAuthMemberBody(member, "identifier");
    String members = "/users/" + encode(member.userGuid()) + "/members";
    Reply reply = http.create("create_member", post(members, body));
    JsonNode created =
        reply.isConflict()
            ? findByIdentifier("list_members", members, "members", member.memberId())
            : reply.body().path("member");
    return MxRequests.member(created, "identifier", member);
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request) {
    String path =
        "/users/" + encode(request.userGuid()) + "/members/" + encode(request.memberGuid())
            + "/oauth_window_uri" + MxRequests.windowQuery(request.options(), false);
    return required(
        http.send("request_oauth_window_uri", get(path)).body().path("member"),
        "oauth_window_uri");
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid) {
    String path = "/users/" + encode(userGuid) + "/members/" + encode(memberGuid) + "/status";
    JsonNode member = http.send("read_member_status", get(path)).body().path("member");
    return new MemberStatus(memberGuid, MxRequests.textOrNull(member, "connection_status"));
  }

  /** Pages through a listing for the object with the client's identifier. */
  private JsonNode findByIdentifier(
      String operation, String path, String collection, String identifier) {
    int totalPages = 1;
    for (int page = 1; page <= totalPages; page++) {
      JsonNode body =
          http.send(operation, get(path + "?page=" + page + "&records_per_page=" + PAGE_SIZE))
              .body();
      for (JsonNode item : body.path(collection)) {
        if (identifier.equals(item.path("identifier").asText(null))) {
          return item;
        }
      }
      totalPages = body.path("pagination").path("total_pages").asInt(1);
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "MX answered 409 for identifier " + identifier + " but does not list it",
        MxGateway.REJECTED);
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    return MxRequests.postJson(request(path), "application/json", body);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
        .header("MX-API-Key", settings.apiKey())
        .header("MX-Client-ID", settings.clientId())
        .header("Accept", MEDIA_TYPE);
  }
}

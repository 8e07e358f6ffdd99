package io.memberflow.activities.mx.nexus;

import static io.memberflow.activities.mx.MxRequests.encode;
import static io.memberflow.activities.mx.MxRequests.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.activities.mx.MxClient;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.MxHttp.Reply;
import io.memberflow.activities.mx.MxRequests;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Function;

/**
 * MX's Nexus (SSO data) API: every call carries the shared session in {@code MD-SESSION-TOKEN}.
 * A call that meets an expired session (error code 4011) gets a new session and is repeated once;
 * a second refusal is final.
 */
public final class NexusMxClient implements MxClient {

  static final String MEDIA_TYPE = "application/vnd.mx.nexus.v1+json";
  static final int SESSION_EXPIRED = 4011;

  private final NexusEndpoint settings;
  private final MxHttp http;
  private final NexusSessions sessions;

  public NexusMxClient(NexusEndpoint settings, MxHttp http, NexusSessions sessions) {
    this.settings = settings;
    this.http = http;
    this.sessions = sessions;
  }

  @Override
  public MxUser ensureUser(String userId) {
    ObjectNode body = MxHttp.json().createObjectNode();
    body.putObject("user").put("id", userId);
    Reply reply = call("create_user", true, token -> post("/users", body, token));
    if (reply.isConflict()) {
      reply = call("read_user", false, token -> get("/users/" + encode(userId), token));
    }
    JsonNode user = reply.body().path("user");
    return new MxUser(required(user, "guid"), user.path("id").asText(userId));
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member) {
    ObjectNode body = MxRequests.newOAuthMemberBody(member, "id");
    String members = "/users/" + encode(member.userGuid()) + "/members";
    Reply reply = call("create_member", true, token -> post(members, body, token));
    if (reply.isConflict()) {
      reply =
          call("read_member", false, token -> get(members + "/" + encode(member.memberId()), token));
    }
    JsonNode created = reply.body().path("member");
    return MxRequests.member(created, "id", member);
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request) {
    String path =
        "/members/" + encode(request.memberGuid()) + "/oauth_window_uri"
            + MxRequests.windowQuery(request.options(), false);
    return required(
        call("request_oauth_window_uri", false, token -> get(path, token)).body().path("member"),
        "oauth_window_uri");
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid) {
    String path = "/members/" + encode(memberGuid) + "/status";
    JsonNode member =
        call("read_member_status", false, token -> get(path, token)).body().path("member");
    return new MemberStatus(memberGuid, MxRequests.textOrNull(member, "connection_status"));
  }

  private Reply call(
      String operation, boolean creation, Function<String, HttpRequest.Builder> request) {
    String token = sessions.current();
    Reply reply = http.exchange(operation, request.apply(token));
    if (reply.status() == 401 && reply.errorCode() == SESSION_EXPIRED) {
      reply = http.exchange(operation, request.apply(sessions.renew(token)));
    }
    return http.accept(operation, reply, creation);
  }

  private HttpRequest.Builder get(String path, String token) {
    return request(path, token).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body, String token) {
    return MxRequests.postJson(request(path, token), MEDIA_TYPE, body);
  }

  private HttpRequest.Builder request(String path, String token) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
        .header("Accept", MEDIA_TYPE)
        .header("MD-SESSION-TOKEN", token);
  }
}

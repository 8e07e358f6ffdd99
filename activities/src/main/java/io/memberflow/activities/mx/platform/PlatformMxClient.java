package io.memberflow.activities.mx.platform;

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
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The MX Platform API, version v20250224: Basic auth with client id and API key, {@code
 * Accept-Version}, and the client's own ids accepted wherever a guid is, so a 409 is followed by a
 * read by id.
 */
public final class PlatformMxClient implements MxClient {

  static final String VERSION = "v20250224";

  private final KeyedEndpoint settings;
  private final MxHttp http;
  private final String authorization;

  public PlatformMxClient(KeyedEndpoint settings, MxHttp http) {
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
    Reply reply = http.create("create_user", post("/users", body));
    if (reply.isConflict()) {
      reply = http.send("read_user", get("/users/" + encode(userId)));
    }
    JsonNode user = reply.body().path("user");
    return new MxUser(required(user, "guid"), user.path("id").asText(userId));
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member) {
    ObjectNode body = MxRequests.newOAuthMemberBody(member, "id");
    if (member.options().enableApp2app() != null) {
      body.put("enable_app2app", member.options().enableApp2app());
    }
    String members = "/users/" + encode(member.userGuid()) + "/members";
    Reply reply = http.create("create_member", post(members, body));
    if (reply.isConflict()) {
      reply = http.send("read_member", get(members + "/" + encode(member.memberId())));
    }
    JsonNode created = reply.body().path("member");
    return MxRequests.member(created, "id", member);
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request) {
    String path =
        "/users/" + encode(request.userGuid()) + "/members/" + encode(request.memberGuid())
            + "/oauth_window_uri" + MxRequests.windowQuery(request.options(), true);
    Reply reply = http.send("request_oauth_window_uri", get(path));
    return required(reply.body().path("member"), "oauth_window_uri");
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid) {
    String path = "/users/" + encode(userGuid) + "/members/" + encode(memberGuid) + "/status";
    JsonNode member = http.send("read_member_status", get(path)).body().path("member");
    return new MemberStatus(memberGuid, MxRequests.textOrNull(member, "connection_status"));
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, JsonNode body) {
    return MxRequests.postJson(request(path), "application/json", body);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .header("Accept-Version", VERSION);
  }
}

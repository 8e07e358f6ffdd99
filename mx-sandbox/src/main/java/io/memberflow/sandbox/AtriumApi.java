package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import java.util.function.Function;

/**
 * MX's Atrium API under {@code /atrium}: {@code MX-API-Key} and {@code MX-Client-ID} headers, its
 * own media type, the client's id in {@code identifier}, and paged listings.
 */
final class AtriumApi {

  static final String PREFIX = "/atrium";
  static final String MEDIA_TYPE = "application/vnd.mx.atrium.v1+json";
  private static final String SEGMENT = "([^/]+)";

  private final SandboxConfig config;
  private final SandboxState state;
  private final MxBehaviour mx;

  AtriumApi(SandboxConfig config, SandboxState state, MxBehaviour mx) {
    this.config = config;
    this.state = state;
    this.mx = mx;
  }

  void register(SandboxHttp http) {
    String users = PREFIX + "/users";
    String members = users + "/" + SEGMENT + "/members";
    String member = members + "/" + SEGMENT;
    http.on("POST", users, guarded(r -> mx.createUser(r.json())));
    http.on(
        "GET",
        users,
        guarded(
            r -> mx.page("users", state.users(), r.query(), u -> mx.user((SandboxState.User) u))));
    http.on("GET", users + "/" + SEGMENT, guarded(r -> mx.readUser(r.pathParams().get(0))));
    http.on(
        "POST",
        members,
        guarded(r -> mx.withUser(r.pathParams().get(0), u -> mx.createMember(u, r.json()))));
    http.on("GET", members, guarded(r -> mx.listMembers(r.pathParams().get(0), r.query())));
    http.on("GET", member, guarded(r -> withMember(r, mx::readMember)));
    http.on("DELETE", member, guarded(r -> withMember(r, mx::deleteMember)));
    http.on(
        "GET",
        member + "/oauth_window_uri",
        guarded(r -> withMember(r, m -> mx.windowUri(m, r.query()))));
    http.on("GET", member + "/status", guarded(r -> withMember(r, mx::status)));
    http.on("POST", member + "/aggregate", guarded(r -> withMember(r, mx::aggregate)));
  }

  private Response withMember(Request request, Function<SandboxState.Member, Response> then) {
    return mx.withMember(request.pathParams().get(0), request.pathParams().get(1), then);
  }

  private Function<Request, Response> guarded(Function<Request, Response> handler) {
    return request -> {
      if (!config.apiKey().equals(request.header("MX-API-Key"))
          || !config.clientId().equals(request.header("MX-Client-ID"))) {
        return Response.error(401, "Unauthorized: invalid MX-API-Key or MX-Client-ID");
      }
      if (!MEDIA_TYPE.equals(request.header("Accept"))) {
        return Response.error(406, "Accept must be " + MEDIA_TYPE);
      }
      return handler.apply(request);
    };
  }
}

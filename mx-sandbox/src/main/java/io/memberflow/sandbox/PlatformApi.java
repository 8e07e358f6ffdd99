package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * MX Platform API v20250224, at the sandbox's root: Basic auth, {@code Accept-Version}, and the
 * shapes of the official OpenAPI document (MX's own error body where it defines none).
 */
final class PlatformApi {

  static final String VERSION = "v20250224";
  private static final String SEGMENT = "([^/]+)";

  private final MxBehaviour mx;
  private final String expectedAuthorization;

  PlatformApi(SandboxConfig config, MxBehaviour mx) {
    this.mx = mx;
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.clientId() + ":" + config.apiKey()).getBytes(StandardCharsets.UTF_8));
  }

  void register(SandboxHttp http) {
    String member = "/users/" + SEGMENT + "/members/" + SEGMENT;
    http.on("POST", "/users", guarded(r -> mx.createUser(r.json())));
    http.on("GET", "/users/" + SEGMENT, guarded(r -> mx.readUser(r.pathParams().get(0))));
    http.on(
        "DELETE",
        "/users/" + SEGMENT,
        guarded(r -> mx.withUser(r.pathParams().get(0), mx::deleteUser)));
    http.on(
        "POST",
        "/users/" + SEGMENT + "/members",
        guarded(r -> mx.withUser(r.pathParams().get(0), user -> mx.createMember(user, r.json()))));
    http.on(
        "GET",
        "/users/" + SEGMENT + "/members",
        guarded(r -> mx.listMembers(r.pathParams().get(0), r.query())));
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
      if (!expectedAuthorization.equals(request.header("Authorization"))) {
        return Response.error(401, "Unauthorized: invalid client_id or api_key");
      }
      if (!VERSION.equals(request.header("Accept-Version"))) {
        return Response.error(400, "Accept-Version header must be " + VERSION);
      }
      return handler.apply(request);
    };
  }
}

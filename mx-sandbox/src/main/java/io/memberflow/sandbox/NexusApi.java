package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxHttp.Request;
import io.memberflow.sandbox.SandboxHttp.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * MX's Nexus (SSO data) API under {@code /nexus}. {@code POST /sessions} with the client's {@code
 * MD-API-TOKEN} opens a session; every other call sends it as {@code MD-SESSION-TOKEN}. A session
 * lives for 30 minutes after its last use, by the sandbox's clock; an expired one is answered with
 * 401 and error code 4011, an unknown one with 4010.
 */
final class NexusApi {

  static final String PREFIX = "/nexus";
  static final String MEDIA_TYPE = "application/vnd.mx.nexus.v1+json";
  static final Duration SESSION_LIFETIME = Duration.ofMinutes(30);
  static final int SESSION_EXPIRED = 4011;
  static final int SESSION_UNKNOWN = 4010;
  private static final String SEGMENT = "([^/]+)";

  private final SandboxConfig config;
  private final SandboxClock clock;
  private final MxBehaviour mx;

  /** Session token → when it was last used. */
  private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

  NexusApi(SandboxConfig config, SandboxClock clock, MxBehaviour mx) {
    this.config = config;
    this.clock = clock;
    this.mx = mx;
  }

  void register(SandboxHttp http) {
    http.on("POST", PREFIX + "/sessions", this::openSession);
    String users = PREFIX + "/users";
    String members = users + "/" + SEGMENT + "/members";
    String byGuid = PREFIX + "/members/" + SEGMENT;
    http.on("POST", users, guarded(r -> mx.createUser(r.json())));
    http.on("GET", users + "/" + SEGMENT, guarded(r -> mx.readUser(r.pathParams().get(0))));
    http.on(
        "POST",
        members,
        guarded(r -> mx.withUser(r.pathParams().get(0), u -> mx.createMember(u, r.json()))));
    http.on(
        "GET",
        members + "/" + SEGMENT,
        guarded(r -> mx.withMember(r.pathParams().get(0), r.pathParams().get(1), mx::readMember)));
    http.on(
        "GET",
        byGuid + "/oauth_window_uri",
        guarded(r -> mx.withMemberGuid(r.pathParams().get(0), m -> mx.windowUri(m, r.query()))));
    http.on(
        "GET",
        byGuid + "/status",
        guarded(r -> mx.withMemberGuid(r.pathParams().get(0), mx::status)));
    http.on("GET", byGuid, guarded(r -> mx.withMemberGuid(r.pathParams().get(0), mx::readMember)));
    http.on(
        "POST",
        byGuid + "/aggregate",
        guarded(r -> mx.withMemberGuid(r.pathParams().get(0), mx::aggregate)));
    http.on(
        "DELETE", byGuid, guarded(r -> mx.withMemberGuid(r.pathParams().get(0), mx::deleteMember)));
  }

  private Response openSession(Request request) {
    if (!config.nexusApiToken().equals(request.header("MD-API-TOKEN"))) {
      return Response.error(401, "Unauthorized: invalid MD-API-TOKEN");
    }
    String token = UUID.randomUUID().toString().replace("-", "");
    sessions.put(token, clock.now());
    return Response.json(
        200, Map.of("session", Map.of("token", token, "expires_in", SESSION_LIFETIME.toSeconds())));
  }

  private Function<Request, Response> guarded(Function<Request, Response> handler) {
    return request -> {
      if (!MEDIA_TYPE.equals(request.header("Accept"))) {
        return Response.error(406, "Accept must be " + MEDIA_TYPE);
      }
      String token = request.header("MD-SESSION-TOKEN");
      Instant lastUsed = token == null ? null : sessions.get(token);
      if (lastUsed == null) {
        return sessionError(SESSION_UNKNOWN, "Unknown session");
      }
      Instant now = clock.now();
      // An expired session stays expired: every caller still holding it hears 4011.
      if (lastUsed.plus(SESSION_LIFETIME).isBefore(now)) {
        return sessionError(SESSION_EXPIRED, "Session expired");
      }
      sessions.merge(token, now, (previous, used) -> used.isAfter(previous) ? used : previous);
      return handler.apply(request);
    };
  }

  private static Response sessionError(int code, String message) {
    return Response.json(401, Map.of("error", Map.of("code", code, "message", message)));
  }
}

package io.memberflow.activities.mx.nexus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.activities.mx.MxHttp;
import io.memberflow.activities.mx.MxRequests;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The one Nexus session all activities of a worker share. A session lives for 30 minutes after
 * its last use; when MX says it has expired, the first caller to notice opens a new one and the
 * others, waiting on the same lock, take that one instead of opening their own. Tokens live only
 * here: never in a workflow input, result or log line.
 */
public final class NexusSessions {

  private final NexusEndpoint settings;
  private final MxHttp http;
  private String token;

  public NexusSessions(NexusEndpoint settings, MxHttp http) {
    this.settings = settings;
    this.http = http;
  }

  /** The current session, opened on first use. */
  public synchronized String current() {
    if (token == null) {
      token = open();
    }
    return token;
  }

  /** A session other than {@code expired}: a new one, unless another caller already renewed it. */
  public synchronized String renew(String expired) {
    if (token == null || token.equals(expired)) {
      token = open();
    }
    return token;
  }

  private String open() {
    ObjectNode body = MxHttp.json().createObjectNode();
    body.putObject("session");
    HttpRequest.Builder request =
        MxRequests.postJson(
                HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/sessions")),
                NexusMxClient.MEDIA_TYPE,
                body)
            .header("Accept", NexusMxClient.MEDIA_TYPE)
            .header("MD-API-TOKEN", settings.apiToken());
    return MxRequests.required(
        http.send("create_session", request).body().path("session"), "token");
  }
}

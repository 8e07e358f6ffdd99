package io.memberflow.activities.mx;

import io.memberflow.activities.mx.MxBodies.Session;
import io.memberflow.activities.mx.MxBodies.SessionBody;
import java.io.IOException;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The one Nexus session all activities of a worker share, put on every request as {@code
 * MD-SESSION-TOKEN}. A session lives for 30 minutes after its last use; when MX refuses it
 * (expired, error code 4011, or unknown, 4010) the request gets a new session and is sent once
 * more, and a second refusal is final. The first caller to meet a refused session opens the new
 * one; the others, waiting on the same lock, take it instead of opening their own. Tokens live only
 * here: never in a workflow input, result or log line.
 */
final class NexusSessions implements ClientHttpRequestInterceptor {

  static final String SESSION_HEADER = "MD-SESSION-TOKEN";

  private final NexusEndpoint endpoint;
  private final MxHttp sessionless;
  private String token;

  /**
   * @param sessionless requests to the Nexus API without a session, to open one
   */
  NexusSessions(NexusEndpoint endpoint, MxHttp sessionless) {
    this.endpoint = endpoint;
    this.sessionless = sessionless;
  }

  @Override
  public ClientHttpResponse intercept(
      HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
    String session = current();
    request.getHeaders().set(SESSION_HEADER, session);
    ClientHttpResponse response = execution.execute(request, body);
    if (response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
      return response;
    }
    response.close();
    request.getHeaders().set(SESSION_HEADER, renew(session));
    return execution.execute(request, body);
  }

  /** The current session, opened on first use. */
  synchronized String current() {
    if (token == null) {
      token = open();
    }
    return token;
  }

  /** A session other than {@code refused}: a new one, unless another caller already renewed it. */
  synchronized String renew(String refused) {
    if (token == null || token.equals(refused)) {
      token = open();
    }
    return token;
  }

  private String open() {
    Session session =
        sessionless
            .send(
                "create_session",
                SessionBody.class,
                rest ->
                    rest.post()
                        .uri("/sessions")
                        .header("MD-API-TOKEN", endpoint.apiToken())
                        .contentType(MxClient.NEXUS_MEDIA_TYPE)
                        .body(new SessionBody(new Session(null))))
            .session();
    return MxHttp.required(session == null ? null : session.token(), "token");
  }
}

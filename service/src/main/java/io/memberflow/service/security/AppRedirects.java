package io.memberflow.service.security;

import io.memberflow.activities.mx.RedirectSigner;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.web.FrontendProperties;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The {@code client_redirect_url} memberflow gives MX for an APP connection, and its check when MX
 * sends the user there. MX's redirect carries no token, so the URL itself is the proof: the
 * connection keeps it unsigned, and it is signed (HMAC-SHA256 of connection, window and expiry)
 * only as the request to MX leaves, so no history or API answer holds a usable one. A signed URL
 * works until it expires and for its own window only; the connection refuses a second use.
 */
@Component
public class AppRedirects implements RedirectSigner {

  private static final String PATH = "/v1/connections/";
  private static final String SUFFIX = "/app-redirect";

  private final BrowserTokens tokens;
  private final FrontendProperties frontend;
  private final Clock clock;
  private final Duration ttl;

  public AppRedirects(
      BrowserTokens tokens, FrontendProperties frontend, Clock clock, SecurityProperties security) {
    this.tokens = tokens;
    this.frontend = frontend;
    this.clock = clock;
    this.ttl = security.appRedirectTtl();
  }

  /** Whether APP flows can be offered: MX needs a public address to send the user back to. */
  public boolean available() {
    return frontend.publicBaseUrl() != null;
  }

  /** The unsigned URL a connection keeps. */
  public String url(String connectionId) {
    return base() + PATH + URLEncoder.encode(connectionId, StandardCharsets.UTF_8) + SUFFIX;
  }

  /**
   * Signs memberflow's own redirect URLs for window {@code attempt}; any other URL goes as it is.
   */
  @Override
  public String sign(String url, int attempt) {
    if (url == null || !available() || !url.startsWith(base() + PATH) || !url.endsWith(SUFFIX)) {
      return url;
    }
    String connectionId =
        URLDecoder.decode(
            url.substring((base() + PATH).length(), url.length() - SUFFIX.length()),
            StandardCharsets.UTF_8);
    long expires = clock.instant().plus(ttl).getEpochSecond();
    return url
        + "?attempt="
        + attempt
        + "&expires="
        + expires
        + "&sig="
        + tokens.sign(signed(connectionId, attempt, expires));
  }

  /**
   * Checks a redirect's signature and expiry, and returns the window it was signed for.
   *
   * @throws ApiException 403 for anything but a URL memberflow signed for this connection, or one
   *     that has expired
   */
  public int verify(String connectionId, String attempt, String expires, String signature) {
    int window;
    long until;
    try {
      window = Integer.parseInt(attempt);
      until = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw notOurs();
    }
    if (!tokens.signed(signed(connectionId, window, until), signature)) {
      throw notOurs();
    }
    if (clock.instant().getEpochSecond() > until) {
      throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", "this redirect has expired");
    }
    return window;
  }

  private static ApiException notOurs() {
    return new ApiException(
        HttpStatus.FORBIDDEN,
        "Forbidden",
        "this is not the redirect memberflow gave MX for the connection");
  }

  private String base() {
    return frontend.publicBaseUrl().toString().replaceAll("/+$", "");
  }

  private static String signed(String connectionId, int attempt, long expires) {
    return "app-redirect:" + connectionId + ":" + attempt + ":" + expires;
  }
}

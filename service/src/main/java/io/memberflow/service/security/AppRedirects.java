package io.memberflow.service.security;

import io.memberflow.service.errors.ApiException;
import io.memberflow.service.web.FrontendProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The {@code client_redirect_url} memberflow gives MX for an APP connection, and its check when
 * MX sends the user there. MX's redirect carries no token, so the URL itself is the proof: it is
 * signed with HMAC-SHA256 of the connection id.
 */
@Component
public class AppRedirects {

  private final BrowserTokens tokens;
  private final FrontendProperties frontend;

  public AppRedirects(BrowserTokens tokens, FrontendProperties frontend) {
    this.tokens = tokens;
    this.frontend = frontend;
  }

  /** Whether APP flows can be offered: MX needs a public address to send the user back to. */
  public boolean available() {
    return frontend.publicBaseUrl() != null;
  }

  public String url(String connectionId) {
    String base = frontend.publicBaseUrl().toString().replaceAll("/+$", "");
    return base + "/v1/connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
        + "/app-redirect?sig=" + signature(connectionId);
  }

  public void verify(String connectionId, String signature) {
    byte[] expected = signature(connectionId).getBytes(StandardCharsets.UTF_8);
    if (signature == null
        || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, "Forbidden", "this is not the redirect memberflow gave MX for the connection");
    }
  }

  private String signature(String connectionId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(tokens.hmacKey());
      byte[] signature = mac.doFinal(("app-redirect:" + connectionId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}

package io.memberflow.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.memberflow.api.embedded.EmbeddedProperties;
import io.memberflow.api.errors.ApiException;
import io.memberflow.api.worker.MxProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Decides who is calling: a backend (API key) or a browser (a short-lived token for one
 * connection, signed as a JWT with HMAC-SHA256).
 */
@Component
public class ApiAccess {

  public static final String DEV_BACKEND_KEY = "dev-backend-key";

  /**
   * The embedded setup's browser-token secret: fixed, so that tokens and APP redirect URLs stay
   * valid when the development service restarts on its durable Temporal server.
   */
  public static final String DEV_BROWSER_TOKEN_SECRET = "memberflow-development-browser-token-secret";
  private static final String AUDIENCE = "memberflow-browser";

  private final List<byte[]> backendKeys;
  private final byte[] browserSecret;
  private final SecurityProperties properties;
  private final Clock clock;
  private final boolean developmentSetup;

  public ApiAccess(
      SecurityProperties properties, EmbeddedProperties embedded, MxProperties mx, Clock clock) {
    this.properties = properties;
    this.clock = clock;
    boolean sandbox = talksOnlyToTheEmbeddedSandbox(embedded, mx);
    this.developmentSetup = sandbox;
    List<String> keys = properties.backendApiKeys();
    if (!sandbox) {
      if (keys.isEmpty() || keys.contains(DEV_BACKEND_KEY)) {
        throw new IllegalStateException(
            "memberflow.security.backend-api-keys must be set to real keys unless every MX API"
                + " is the embedded sandbox (the development key " + DEV_BACKEND_KEY
                + " is refused)");
      }
      if (properties.browserTokenSecret() == null
          || properties.browserTokenSecret().length() < 32
          || properties.browserTokenSecret().equals(DEV_BROWSER_TOKEN_SECRET)) {
        throw new IllegalStateException(
            "memberflow.security.browser-token-secret must be set (32 characters or more, not the"
                + " development secret) unless every MX API is the embedded sandbox");
      }
    }
    this.backendKeys =
        (keys.isEmpty() ? List.of(DEV_BACKEND_KEY) : keys).stream()
            .map(k -> k.getBytes(StandardCharsets.UTF_8))
            .toList();
    this.browserSecret =
        properties.browserTokenSecret() == null || properties.browserTokenSecret().isEmpty()
            ? randomSecret()
            : properties.browserTokenSecret().getBytes(StandardCharsets.UTF_8);
    if (browserSecret.length < 32) {
      throw new IllegalStateException("memberflow.security.browser-token-secret must be 32 characters or more");
    }
  }

  /**
   * Development keys are only for the embedded setup: the sandbox runs here and every configured
   * MX API points at it. Anything else could be talking to real MX.
   */
  private static boolean talksOnlyToTheEmbeddedSandbox(EmbeddedProperties embedded, MxProperties mx) {
    if (!embedded.sandbox().enabled()) {
      return false;
    }
    String sandbox = "http://localhost:" + embedded.sandbox().port();
    return Stream.of(
            mx.platform() == null ? null : mx.platform().baseUrl(),
            mx.atrium() == null ? null : mx.atrium().baseUrl(),
            mx.nexus() == null ? null : mx.nexus().baseUrl())
        .filter(Objects::nonNull)
        .allMatch(url -> url.toString().equals(sandbox) || url.toString().startsWith(sandbox + "/"));
  }

  /** Whether this is the embedded development setup, where only the sandbox is reachable. */
  public boolean isDevelopmentSetup() {
    return developmentSetup;
  }

  /**
   * The signature that makes a connection's APP redirect URL unguessable: MX's redirect carries
   * no token, so the URL itself must be the proof (HMAC-SHA256 of the connection id).
   */
  public String appRedirectSignature(String connectionId) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(browserSecret, "HmacSHA256"));
      byte[] signature = mac.doFinal(("app-redirect:" + connectionId).getBytes(StandardCharsets.UTF_8));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  public void requireAppRedirectSignature(String connectionId, String signature) {
    byte[] expected = appRedirectSignature(connectionId).getBytes(StandardCharsets.UTF_8);
    if (signature == null
        || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, "Forbidden", "this is not the redirect memberflow gave MX for the connection");
    }
  }

  /** Only a backend may do this. */
  public void requireBackend(String authorization) {
    if (!isBackend(bearer(authorization))) {
      throw unauthorized("a backend API key is required");
    }
  }

  /** A backend, or a browser holding the token of this very connection. */
  public void requireBackendOrBrowser(String authorization, String connectionId) {
    String token = bearer(authorization);
    if (isBackend(token)) {
      return;
    }
    String subject = browserTokenSubject(token);
    if (!connectionId.equals(subject)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "Forbidden", "this browser token belongs to another connection");
    }
  }

  public String issueBrowserToken(String connectionId) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(connectionId)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(properties.browserTokenTtl())))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(browserSecret));
    } catch (JOSEException e) {
      throw new IllegalStateException("browser token could not be signed", e);
    }
    return jwt.serialize();
  }

  private String browserTokenSubject(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new MACVerifier(browserSecret))) {
        throw unauthorized("the token is not valid");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (claims.getExpirationTime() == null
          || claims.getExpirationTime().toInstant().isBefore(clock.instant())) {
        throw unauthorized("the browser token has expired");
      }
      if (!claims.getAudience().contains(AUDIENCE)) {
        throw unauthorized("the token is not a browser token");
      }
      return claims.getSubject();
    } catch (ParseException | JOSEException e) {
      throw unauthorized("the token is neither an API key nor a browser token");
    }
  }

  private boolean isBackend(String token) {
    byte[] candidate = token.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : backendKeys) {
      match |= MessageDigest.isEqual(key, candidate);
    }
    return match;
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.length() == 7) {
      throw unauthorized("send Authorization: Bearer <API key or browser token>");
    }
    return authorization.substring(7).trim();
  }

  private static ApiException unauthorized(String why) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", why);
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }
}

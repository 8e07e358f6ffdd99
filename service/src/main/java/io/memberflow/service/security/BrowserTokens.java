package io.memberflow.service.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Browser tokens: short-lived HS256 JWTs whose subject is the one connection they may act on. The
 * same secret signs what else memberflow hands out and must know again: APP redirect URLs and
 * listing page tokens ({@link #sign}).
 */
@Component
public class BrowserTokens {

  /** Only tokens made for browsers are accepted as browser tokens. */
  static final String AUDIENCE = "memberflow-browser";

  private final SecretKey key;
  private final Hmac hmac;

  /** Thread-safe; made once, since it checks and copies the key. */
  private final MACSigner signer;

  private final Duration ttl;
  private final Clock clock;

  /** {@code checked}: the development keys are refused, with their reason, before this is made. */
  public BrowserTokens(SecurityProperties properties, Clock clock, DevelopmentKeys checked) {
    String secret = properties.browserTokenSecret();
    if (secret == null || secret.length() < 32) {
      throw new IllegalStateException(
          "memberflow.security.browser-token-secret must be set (32 characters or more)");
    }
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.hmac = new Hmac(key);
    try {
      this.signer = new MACSigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("browser tokens cannot be signed with this secret", e);
    }
    this.ttl = properties.browserTokenTtl();
    this.clock = clock;
  }

  public String issue(String connectionId) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(connectionId)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("browser token could not be signed", e);
    }
    return jwt.serialize();
  }

  /**
   * Spring Security's decoder for these tokens: HS256 only, this audience, not expired, for a
   * connection. Spring's expiry check lets a token without {@code exp} pass (it would never expire)
   * and the authorization reads the connection from {@code sub}, so both are required, as {@code
   * aud} is by its check. ({@code iat} is read by nothing, and Spring fills it in from {@code
   * exp}.)
   */
  JwtDecoder decoder() {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
    JwtTimestampValidator notExpired = new JwtTimestampValidator(Duration.ZERO);
    notExpired.setClock(clock);
    OAuth2TokenValidator<Jwt> forBrowsers =
        new JwtClaimValidator<java.util.List<String>>(
            JwtClaimNames.AUD, aud -> aud != null && aud.contains(AUDIENCE));
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            required(JwtClaimNames.SUB), required(JwtClaimNames.EXP), notExpired, forBrowsers));
    return decoder;
  }

  private static OAuth2TokenValidator<Jwt> required(String claim) {
    return new JwtClaimValidator<Object>(claim, Objects::nonNull);
  }

  /** HMAC-SHA256 of {@code text}, base64url; {@code text} starts with what it is for. */
  public String sign(String text) {
    return hmac.of(text);
  }

  /** Whether {@code signature} is {@link #sign}'s for {@code text}, compared in constant time. */
  public boolean signed(String text, String signature) {
    return signature != null
        && MessageDigest.isEqual(
            sign(text).getBytes(StandardCharsets.UTF_8),
            signature.getBytes(StandardCharsets.UTF_8));
  }
}

package io.memberflow.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The Temporal Web UI can send the codec endpoint a cookie ("include cross-origin credentials"),
 * not an API key. An operator signs in once with the operator key at {@code /codec/session}; the
 * cookie it gets (HttpOnly, SameSite=Strict, for {@code /codec} only, signed, eight hours) stands
 * for the key there. The UI on another port of the same host is the same site, so it sends it.
 */
@Component
public class CodecSessions {

  static final String COOKIE = "memberflow_codec";
  private static final Duration LIFETIME = Duration.ofHours(8);

  private final SecurityProperties security;
  private final BrowserTokens signatures;
  private final Clock clock;

  public CodecSessions(SecurityProperties security, BrowserTokens signatures, Clock clock) {
    this.security = security;
    this.signatures = signatures;
    this.clock = clock;
  }

  /** The session cookie for an operator key, or empty when it is not one. */
  public java.util.Optional<ResponseCookie> signIn(String operatorKey, boolean secure) {
    if (!ApiSecurity.isOneOf(security.operatorApiKeys(), operatorKey)) {
      return java.util.Optional.empty();
    }
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    return java.util.Optional.of(
        ResponseCookie.from(COOKIE, expires + "." + signatures.sign(signed(expires)))
            .httpOnly(true)
            .secure(secure)
            .sameSite("Strict")
            .path("/codec")
            .maxAge(LIFETIME)
            .build());
  }

  private boolean valid(String value) {
    int dot = value.indexOf('.');
    if (dot < 0) {
      return false;
    }
    long expires;
    try {
      expires = Long.parseLong(value.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    return signatures.signed(signed(expires), value.substring(dot + 1))
        && clock.instant().getEpochSecond() <= expires;
  }

  private static String signed(long expires) {
    return "codec-session:" + expires;
  }

  /** Authenticates a codec call that carries a valid session cookie and no Authorization header. */
  OncePerRequestFilter filter() {
    return new OncePerRequestFilter() {
      @Override
      protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/codec/")
            || request.getHeader(HttpHeaders.AUTHORIZATION) != null
            || request.getCookies() == null;
      }

      @Override
      protected void doFilterInternal(
          HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        boolean signedIn =
            Arrays.stream(request.getCookies())
                .anyMatch(cookie -> cookie.getName().equals(COOKIE) && valid(cookie.getValue()));
        if (signedIn) {
          SecurityContextHolder.getContext()
              .setAuthentication(
                  UsernamePasswordAuthenticationToken.authenticated(
                      "operator",
                      null,
                      AuthorityUtils.createAuthorityList("ROLE_" + ApiSecurity.OPERATOR)));
        }
        chain.doFilter(request, response);
      }
    };
  }
}

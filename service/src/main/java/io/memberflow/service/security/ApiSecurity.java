package io.memberflow.service.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.service.web.FrontendProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.Header;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what. Backends send an API key, browsers a browser token, both as {@code
 * Authorization: Bearer}: a key is looked up first, anything else must be a valid browser token
 * (Spring Security's resource-server support). A browser token acts only on the connection in its
 * subject. Refusals are problem details that say what was wrong.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurity {

  private static final String BACKEND = "BACKEND";

  /**
   * No observation (trace span and timer) around each of the chain's filters and each
   * authentication and authorization: with them the chain cost about a sixth of the service's CPU
   * per flow under load (JFR, bench/run). Requests are still timed as {@code http.server.requests}.
   */
  @Bean
  static SecurityObservationSettings securityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  static final String OPERATOR = "OPERATOR";

  /** What only a backend may do: start, list, count, cancel, reconnect, refresh, disconnect. */
  private static final RequestMatcher BACKEND_ONLY =
      new OrRequestMatcher(
          AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/v1/connections"),
          AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/v1/connections"),
          AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/v1/connection-counts"),
          AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/v1/connections/{id}/cancel"),
          AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/v1/connections/{id}/reconnect"),
          AntPathRequestMatcher.antMatcher(HttpMethod.POST, "/v1/connections/{id}/refresh"),
          AntPathRequestMatcher.antMatcher(HttpMethod.DELETE, "/v1/connections/{id}"));

  /** Temporal's remote codec: operators only. */
  private static final RequestMatcher CODEC = AntPathRequestMatcher.antMatcher("/codec/**");

  /** One connection's own endpoints: its backend, or a browser holding its token. */
  private static final RequestMatcher ONE_CONNECTION =
      new OrRequestMatcher(
          AntPathRequestMatcher.antMatcher("/v1/connections/{id}"),
          AntPathRequestMatcher.antMatcher("/v1/connections/{id}/**"));

  /** Pages: their own scripts only, and the relation to the OAuth popup they open. */
  static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  /** API answers are data, never to be rendered. */
  static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      SecurityProperties properties,
      BrowserTokens tokens,
      CodecSessions codecSessions,
      ObjectMapper json)
      throws Exception {
    ProviderManager authentication =
        new ProviderManager(
            apiKeys(properties.backendApiKeys(), BACKEND),
            apiKeys(properties.operatorApiKeys(), OPERATOR),
            new JwtAuthenticationProvider(tokens.decoder()));
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(cors -> {})
        .addFilterBefore(codecSessions.filter(), BearerTokenAuthenticationFilter.class)
        .authorizeHttpRequests(
            requests ->
                requests
                    // MX's redirect carries no token: its URL is signed instead (AppRedirects).
                    // (Any method: the web layer answers 405 to all but GET.)
                    .requestMatchers(
                        AntPathRequestMatcher.antMatcher("/v1/connections/{id}/app-redirect"))
                    .permitAll()
                    // Signing in to a codec session takes the operator key in a form.
                    .requestMatchers(AntPathRequestMatcher.antMatcher("/codec/session"))
                    .permitAll()
                    .requestMatchers(CODEC)
                    .hasRole(OPERATOR)
                    .requestMatchers(BACKEND_ONLY)
                    .hasRole(BACKEND)
                    .requestMatchers(ONE_CONNECTION)
                    .access(backendOrBrowserOfThisConnection())
                    .requestMatchers(AntPathRequestMatcher.antMatcher("/v1/**"))
                    .hasRole(BACKEND)
                    .anyRequest()
                    .permitAll())
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .authenticationManagerResolver(request -> authentication)
                    .authenticationEntryPoint(
                        (request, response, e) -> unauthorized(request, response, e, json))
                    .accessDeniedHandler((request, response, e) -> denied(request, response, json)))
        .headers(
            headers ->
                headers
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            new OrRequestMatcher(
                                AntPathRequestMatcher.antMatcher("/demo"),
                                AntPathRequestMatcher.antMatcher("/demo/")),
                            new StaticHeadersWriter(
                                List.of(
                                    new Header("Content-Security-Policy", PAGE_POLICY),
                                    new Header(
                                        "Cross-Origin-Opener-Policy",
                                        "same-origin-allow-popups")))))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            AntPathRequestMatcher.antMatcher("/v1/**"),
                            new StaticHeadersWriter("Content-Security-Policy", DATA_POLICY))));
    return http.build();
  }

  /**
   * Methods are left to the web layer, which answers 405 with {@code Allow} (TRACE included: it is
   * never echoed); everything else the firewall refuses stays refused.
   */
  @Bean
  HttpFirewall firewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setUnsafeAllowAnyHttpMethod(true);
    return firewall;
  }

  /**
   * A path Spring Security's firewall refuses ({@code ..}, encoded slashes, ...) is answered like
   * every other refusal, instead of a bare 400.
   */
  @Bean
  RequestRejectedHandler requestRejected(ObjectMapper json) {
    return (request, response, e) ->
        problem(
            request,
            response,
            HttpStatus.BAD_REQUEST,
            "Invalid path",
            "the path may not hold '..', '//', encoded slashes or dots, or control characters",
            json);
  }

  /**
   * Browsers on the configured frontends may call the connection endpoints, and the configured
   * Temporal Web UIs the codec endpoint; no one else.
   */
  @Bean
  CorsConfigurationSource corsConfigurationSource(
      FrontendProperties frontend, EncryptionProperties encryption) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!encryption.codecOrigins().isEmpty()) {
      CorsConfiguration codec = new CorsConfiguration();
      codec.setAllowedOrigins(encryption.codecOrigins());
      codec.setAllowedMethods(List.of("POST"));
      codec.setAllowedHeaders(
          List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Namespace"));
      // The Web UI sends the codec session cookie (CodecSessions).
      codec.setAllowCredentials(true);
      source.registerCorsConfiguration("/codec/**", codec);
    }
    if (!frontend.allowedOrigins().isEmpty()) {
      CorsConfiguration cors = new CorsConfiguration();
      cors.setAllowedOrigins(List.copyOf(frontend.allowedOrigins()));
      cors.setAllowedMethods(List.of("GET", "POST"));
      cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
      // A 202's: the page's next look, and where to look.
      cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION));
      cors.setMaxAge(600L);
      source.registerCorsConfiguration("/v1/connections/**", cors);
    }
    return source;
  }

  /**
   * A configured key of this role, compared in constant time; anything else is left to the next
   * check.
   */
  private static AuthenticationProvider apiKeys(List<String> keys, String role) {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication) {
        return isOneOf(keys, ((BearerTokenAuthenticationToken) authentication).getToken())
            ? UsernamePasswordAuthenticationToken.authenticated(
                role.toLowerCase(java.util.Locale.ROOT),
                null,
                AuthorityUtils.createAuthorityList("ROLE_" + role))
            : null;
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
      }
    };
  }

  /** Whether {@code candidate} is one of {@code keys}, comparing each in constant time. */
  static boolean isOneOf(List<String> keys, String candidate) {
    byte[] given = String.valueOf(candidate).getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (String key : keys) {
      match |= MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), given);
    }
    return match && candidate != null;
  }

  private static AuthorizationManager<RequestAuthorizationContext>
      backendOrBrowserOfThisConnection() {
    return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
      Authentication caller = authentication.get();
      boolean backend =
          caller.getAuthorities().stream()
              .anyMatch(a -> a.getAuthority().equals("ROLE_" + BACKEND));
      boolean browserOfThis =
          caller instanceof JwtAuthenticationToken browser
              && browser.getName().equals(context.getVariables().get("id"));
      return new AuthorizationDecision(backend || browserOfThis);
    };
  }

  private static void unauthorized(
      HttpServletRequest request,
      HttpServletResponse response,
      AuthenticationException e,
      ObjectMapper json)
      throws IOException {
    String why;
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (CODEC.matches(request)) {
      why = "an operator API key is required: send Authorization: Bearer <operator API key>";
    } else if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      why =
          BACKEND_ONLY.matches(request)
              ? "a backend API key is required: send Authorization: Bearer <API key>"
              : "send Authorization: Bearer <API key or browser token>";
    } else if (String.valueOf(e.getMessage()).contains("expired")) {
      why = "the browser token has expired";
    } else {
      why = "the token is neither an API key nor a browser token";
    }
    problem(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", why, json);
  }

  /** An authenticated caller asked for what it may not do. */
  private static void denied(
      HttpServletRequest request, HttpServletResponse response, ObjectMapper json)
      throws IOException {
    if (CODEC.matches(request)) {
      problem(
          request,
          response,
          HttpStatus.UNAUTHORIZED,
          "Unauthorized",
          "an operator API key is required",
          json);
    } else if (ONE_CONNECTION.matches(request) && !BACKEND_ONLY.matches(request)) {
      problem(
          request,
          response,
          HttpStatus.FORBIDDEN,
          "Forbidden",
          "this browser token belongs to another connection",
          json);
    } else {
      problem(
          request,
          response,
          HttpStatus.UNAUTHORIZED,
          "Unauthorized",
          "a backend API key is required",
          json);
    }
  }

  static void problem(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String title,
      String detail,
      ObjectMapper json)
      throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}

package io.memberflow.service.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.service.mx.MxWebhookCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;

/**
 * MX's webhooks come with the HTTP Basic credentials given to MX ({@code memberflow.mx.webhooks}),
 * and nothing else reaches their endpoint: a missing or wrong credential is a 401 that changes
 * nothing. Without configured credentials every webhook is refused.
 */
@Configuration(proxyBeanMethods = false)
public class MxWebhookSecurity {

  static final String PATH = "/v1/mx/webhooks";
  private static final String MX = "MX";

  /** Before the API's chain, which would ask for a bearer token. */
  @Bean
  @Order(1)
  SecurityFilterChain mxWebhooks(HttpSecurity http, MxProperties mx, ObjectMapper json)
      throws Exception {
    http.securityMatcher(PATH)
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(MX))
        .authenticationManager(new ProviderManager(credentials(mx.webhooks())))
        .httpBasic(
            basic ->
                basic.authenticationEntryPoint(
                    (request, response, e) -> {
                      response.setHeader(
                          "WWW-Authenticate", "Basic realm=\"memberflow MX webhooks\"");
                      ApiSecurity.problem(
                          request,
                          response,
                          HttpStatus.UNAUTHORIZED,
                          "Unauthorized",
                          mx.webhooks() == null
                              ? "MX webhooks are not configured here (memberflow.mx.webhooks)"
                              : "send the Basic credentials configured for MX's webhooks",
                          json);
                    }));
    return http.build();
  }

  /** The configured user and password, compared in constant time. */
  private static AuthenticationProvider credentials(MxWebhookCredentials configured) {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication) {
        if (configured == null) {
          return null;
        }
        boolean user = same(configured.username(), authentication.getName());
        boolean password =
            same(configured.password(), String.valueOf(authentication.getCredentials()));
        return user & password
            ? UsernamePasswordAuthenticationToken.authenticated(
                "mx", null, AuthorityUtils.createAuthorityList("ROLE_" + MX))
            : null;
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
      }
    };
  }

  private static boolean same(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}

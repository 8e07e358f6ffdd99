package io.memberflow.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Headers that suit each kind of response. Pages may run only their own scripts and must keep the
 * relation to the OAuth popup they open ({@code same-origin-allow-popups}: MX's page posts its
 * message to {@code window.opener}). API answers are data, never to be rendered or cached.
 */
@Component
public class WebSecurityHeaders extends OncePerRequestFilter {

  static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    String path = request.getRequestURI();
    if (path.equals("/demo") || path.equals("/demo/")) {
      response.setHeader("Content-Security-Policy", PAGE_POLICY);
      response.setHeader("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
    } else if (path.startsWith("/v1/")) {
      response.setHeader("Content-Security-Policy", DATA_POLICY);
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }

  /** Browsers on the configured frontends may call the connection endpoints; no one else. */
  @Configuration(proxyBeanMethods = false)
  static class Cors implements WebMvcConfigurer {
    private final FrontendProperties frontend;

    Cors(FrontendProperties frontend) {
      this.frontend = frontend;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
      if (!frontend.allowedOrigins().isEmpty()) {
        registry
            .addMapping("/v1/connections/**")
            .allowedOrigins(frontend.allowedOrigins().toArray(String[]::new))
            .allowedMethods("GET", "POST")
            .allowedHeaders("Authorization", "Content-Type")
            .maxAge(600);
      }
    }
  }
}

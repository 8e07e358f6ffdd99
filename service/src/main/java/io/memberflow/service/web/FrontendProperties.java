package io.memberflow.service.web;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param allowedOrigins the frontends (scheme://host:port) whose pages may call the API from the
 *     browser (CORS); empty means only pages served by memberflow itself
 * @param publicBaseUrl where users' browsers reach memberflow, e.g. {@code
 *     https://memberflow.example.com}: MX sends APP flows back to it; unset, APP flows are refused
 */
@ConfigurationProperties("memberflow.frontend")
public record FrontendProperties(List<String> allowedOrigins, URI publicBaseUrl) {

  public FrontendProperties {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
  }
}

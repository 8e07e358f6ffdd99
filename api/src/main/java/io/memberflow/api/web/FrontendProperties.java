package io.memberflow.api.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param allowedOrigins the frontends (scheme://host:port) whose pages may call the API from the
 *     browser (CORS); empty means only pages served by memberflow itself
 */
@ConfigurationProperties("memberflow.frontend")
public record FrontendProperties(List<String> allowedOrigins) {

  public FrontendProperties {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
  }
}

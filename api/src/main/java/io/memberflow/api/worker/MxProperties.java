package io.memberflow.api.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the workers reach MX. The defaults point at the embedded sandbox.
 *
 * @param platform the Platform API: base URL and credentials
 * @param requestTimeout how long one MX request may take before it counts as a retryable timeout
 */
@Validated
@ConfigurationProperties("memberflow.mx")
public record MxProperties(
    @NotNull @Valid Platform platform, @DefaultValue("10s") Duration requestTimeout) {

  /**
   * @param baseUrl e.g. {@code https://int-api.mx.com} (MX's integration environment)
   * @param clientId the MX client id
   * @param apiKey the MX API key: a secret, from the environment in production
   */
  public record Platform(@NotNull URI baseUrl, @NotBlank String clientId, @NotBlank String apiKey) {
    @Override
    public String toString() {
      return "Platform[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=***]";
    }
  }
}

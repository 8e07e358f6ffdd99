package io.memberflow.activities.mx;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * Where an MX API that authenticates with a client id and an API key is (Platform, Atrium), as
 * configured and as its client uses it; {@link #toString} hides the key.
 *
 * @param baseUrl e.g. {@code https://int-api.mx.com} for the Platform API
 * @param apiKey a secret, from the environment in production
 */
public record KeyedEndpoint(
    @NotNull URI baseUrl, @NotBlank String clientId, @NotBlank String apiKey) {

  @Override
  public String toString() {
    return "KeyedEndpoint[baseUrl=" + baseUrl + ", clientId=" + clientId + ", apiKey=***]";
  }
}

package io.memberflow.activities.mx;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/**
 * Where the Nexus API is and the {@code MD-API-TOKEN} that opens sessions, as configured and as its
 * client uses it; {@link #toString} hides the token.
 */
public record NexusEndpoint(@NotNull URI baseUrl, @NotBlank String apiToken) {

  @Override
  public String toString() {
    return "NexusEndpoint[baseUrl=" + baseUrl + ", apiToken=***]";
  }
}
